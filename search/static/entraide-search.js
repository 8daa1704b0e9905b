/*
 * entraide site search: runs the index export (search/meta.json, search/t/*.json, …) in the browser.
 *
 * It mirrors the Python side line for line, so that the site ranks like `entraide search`:
 *   search/analysis.py  fold, words, stop words, singular_fr + Snowball stemmers (vendor/)
 *   search/query.py     the query language (words, OR, NOT/-, "phrases", prefix*, parentheses)
 *   search/ranking.py   how a parsed query is scored (Whoosh's BM25F, ties by document number)
 *   search/export.py    the files: t/ postings, p/ positions (phrases only), d/ fragments, theme/,
 *                       whose bytes search/exportformat.py lays out
 * A query downloads meta.json once, then only the term files its words need, then the ten
 * fragments of the results shown.
 *
 * Nothing from the index is ever inserted as HTML: results are built with textContent.
 */
(function () {
  "use strict";

  var LIGATURES = { "œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "đ": "d", "ł": "l", "ı": "i" };
  var WORD = /[\p{L}\p{N}]+/gu;
  var PAGE_SIZE = 10;

  function fold(text) {
    return text
      .toLowerCase()
      .normalize("NFKD")
      .replace(/\p{M}/gu, "")
      .replace(/[œæßøđłı]/g, function (c) { return LIGATURES[c]; });
  }

  function QueryError(message) { this.message = message; }

  // -- analysis (search/analysis.py) ------------------------------------------------------------

  function Analysis(meta) {
    this.stop = new Set(meta.stopWords);
    this.minWord = meta.minWord;
    this.minPrefix = meta.minPrefix;
    this.keyLength = meta.keyLength;
    var fr = new window.FrenchStemmer();
    var en = new window.EnglishStemmer();
    var cache = { fr: new Map(), en: new Map() };
    this.stemmers = {
      fr: function (word) { return fr.stemWord(singularFr(word)); },
      en: function (word) { return en.stemWord(word); }
    };
    this.cache = cache;
  }

  function singularFr(word) {
    if (word.length > 3 && word[word.length - 1] === "s" && "aiosu".indexOf(word[word.length - 2]) < 0) {
      return word.slice(0, -1);
    }
    return word;
  }

  Analysis.prototype.words = function (text) {
    var self = this;
    return (text.match(WORD) || []).map(fold).filter(function (w) {
      return Array.from(w).length >= self.minWord && !self.stop.has(w);
    });
  };

  Analysis.prototype.term = function (word, lang) {
    var cache = this.cache[lang];
    var stem = cache.get(word);
    if (stem === undefined) {
      stem = this.stemmers[lang](word);
      cache.set(word, stem);
    }
    return stem;
  };

  Analysis.prototype.key = function (text) {
    var chars = Array.from(text).slice(0, this.keyLength).join("");
    while (Array.from(chars).length < this.keyLength) chars += "_";
    return chars;
  };

  // -- query language (search/query.py) ---------------------------------------------------------

  // Typographic quotes read as the plain one: phones type “ ” for ", French keyboards « ».
  function normalise(query) { return query.normalize("NFC").replace(/[“”„«»]/g, '"').trim(); }

  var TOKEN = /\s*(?:(\()|(\))|"([^"]*)("?)|([^\s()"]+))/y;

  function tokens(query) {
    var found = [];
    TOKEN.lastIndex = 0;
    while (TOKEN.lastIndex < query.length) {
      var at = TOKEN.lastIndex;
      var m = TOKEN.exec(query);
      if (!m || TOKEN.lastIndex === at) break;
      if (m[1]) found.push(["(", "("]);
      else if (m[2]) found.push([")", ")"]);
      else if (m[3] !== undefined) {
        if (!m[4]) throw new QueryError("unclosed quote");
        found.push(["phrase", m[3]]);
      } else {
        var word = m[5];
        if (word === "AND" || word === "OR" || word === "NOT") found.push([word, word]);
        else if (word[0] === "-" && word.length > 1) { found.push(["NOT", "-"]); wordTokens(word.slice(1), found); }
        else wordTokens(word, found);
      }
    }
    return found;
  }

  // title:conflit (search/query.py: SCOPES, FILTER_FIELDS): a scope, then the word after it.
  var SCOPES = { title: "title", titre: "title" };
  var FILTER_FIELDS = ["theme", "thème", "tag", "tags", "lang", "langue", "language", "author", "auteur", "date"];
  var FIELD = /^([^\P{L}]+):([\s\S]*)$/u;

  function wordTokens(word, found) {
    var m = FIELD.exec(word), name = m ? m[1].toLowerCase() : "";
    if (m && Object.prototype.hasOwnProperty.call(SCOPES, name)) {
      found.push(["scope", SCOPES[name]]);
      if (m[2]) found.push(["word", m[2]]);
    } else if (m && FILTER_FIELDS.indexOf(name) >= 0) {
      throw new QueryError("'" + m[1] + ":' cannot be searched in the query, only title: can; filter by theme or language instead");
    } else found.push(["word", word]);
  }

  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

  function unique(nodes) {
    var seen = [];
    nodes.forEach(function (n) { if (!seen.some(function (s) { return same(s, n); })) seen.push(n); });
    return seen;
  }

  function flatten(nodes) {
    var flat = [];
    nodes.forEach(function (n) {
      if (n.type === "and" && n.excluded.length === 0) flat.push.apply(flat, n.children);
      else flat.push(n);
    });
    return flat;
  }

  function all(nodes) {
    nodes = unique(flatten(nodes));
    if (!nodes.length) return null;
    return nodes.length === 1 ? nodes[0] : { type: "and", children: nodes, excluded: [] };
  }

  function Parser(analysis, list) { this.a = analysis; this.t = list; this.at = 0; }
  Parser.prototype.peek = function () { return this.at < this.t.length ? this.t[this.at][0] : null; };
  Parser.prototype.take = function () { return this.t[this.at++]; };

  Parser.prototype.parse = function () {
    var node = this.orExpr();
    if (this.peek() === ")") throw new QueryError("unbalanced parenthesis");
    return node;
  };

  Parser.prototype.orExpr = function () {
    var children = [this.andExpr()];
    while (this.peek() === "OR") { this.take(); children.push(this.andExpr()); }
    var kept = unique(children.filter(function (c) { return c !== null; }));
    var flat = [];
    kept.forEach(function (c) { if (c.type === "or") flat.push.apply(flat, c.children); else flat.push(c); });
    kept = unique(flat);
    if (!kept.length) return null;
    return kept.length === 1 ? kept[0] : { type: "or", children: kept };
  };

  Parser.prototype.andExpr = function () {
    var required = [], excluded = [];
    while ([null, ")", "OR"].indexOf(this.peek()) < 0) {
      if (this.peek() === "AND") { this.take(); continue; }
      var negative = false;
      while (this.peek() === "NOT") { this.take(); negative = !negative; }
      if ([null, ")", "OR", "AND"].indexOf(this.peek()) >= 0) throw new QueryError("NOT must be followed by a word");
      var node = this.atom();
      if (node !== null) (negative ? excluded : required).push(node);
    }
    required = unique(flatten(required));
    excluded = unique(excluded);
    if (!required.length) {
      if (excluded.length) throw new QueryError("a query needs at least one word that is not excluded");
      return null;
    }
    if (required.length === 1 && !excluded.length) return required[0];
    return { type: "and", children: required, excluded: excluded };
  };

  Parser.prototype.atom = function () {
    var token = this.take();
    if (token[0] === "scope") {
      if ([null, ")", "OR", "AND", "NOT", "scope"].indexOf(this.peek()) >= 0) {
        throw new QueryError(token[1] + ": must be followed by a word, a phrase or a group");
      }
      var child = this.atom();
      return child === null ? null : { type: "field", part: token[1], children: [child] };
    }
    if (token[0] === "(") {
      var node = this.orExpr();
      if (this.peek() !== ")") throw new QueryError("unbalanced parenthesis");
      this.take();
      return node;
    }
    if (token[0] === "phrase") {
      var found = this.a.words(token[1]);
      if (found.length <= 1) return found.length ? { type: "word", text: found[0] } : null;
      return { type: "phrase", words: found };
    }
    return this.word(token[1]);
  };

  Parser.prototype.word = function (text) {
    var self = this;
    if (text[text.length - 1] === "*") {
      var stem = text.replace(/\*+$/, "");
      var pieces = stem.match(/[\p{L}\p{N}]+/gu) || [];
      if (!pieces.length || stem.indexOf("*") >= 0) throw new QueryError("a wildcard goes at the end of a word");
      var prefix = fold(pieces[pieces.length - 1]);
      if (Array.from(prefix).length < this.a.minPrefix) throw new QueryError("a prefix needs at least " + this.a.minPrefix + " letters");
      var leading = this.a.words(pieces.slice(0, -1).join(" ")).map(function (w) { return { type: "word", text: w }; });
      return all(leading.concat([{ type: "prefix", text: prefix }]));
    }
    if (text.indexOf("*") >= 0 || text.replace(/\?+$/, "").indexOf("?") >= 0) throw new QueryError("only a trailing * is supported");
    return all(self.a.words(text).map(function (w) { return { type: "word", text: w }; }));
  };

  // For a query of plain words that finds nothing: the query for any of them (query.any_of).
  function anyOf(query) {
    var list = tokens(normalise(query).slice(0, 500));
    if (list.length < 2 || list.some(function (t) { return t[0] !== "word"; })) return null;
    return list.map(function (t) { return t[1]; }).join(" OR ");
  }

  // -- index files (search/export.py, search/exportformat.py) ----------------------------------

  var LEAF = 0, SPLIT = 1, IN_OWN_FILE = 1;
  var OWN = { own: true };  // a term whose entries live in a file of their own

  function Bytes(data) { this.data = data; this.at = 0; }
  Bytes.prototype.number = function () {  // unsigned LEB128
    var value = 0, scale = 1, byte;
    do {
      byte = this.data[this.at++];
      value += (byte & 0x7f) * scale;
      scale *= 128;
    } while (byte & 0x80);
    return value;
  };
  Bytes.prototype.take = function (length) {
    var chunk = this.data.subarray(this.at, this.at + length);
    this.at += length;
    return chunk;
  };
  var UTF8 = new TextDecoder();
  Bytes.prototype.text = function () { return UTF8.decode(this.take(this.number())); };

  // Entries: one text field's postings (streams: gaps, frequencies, lengths) or positions.
  function readEntries(bytes) {
    var entries = [];
    for (var n = bytes.number(); n > 0; n--) {
      var entry = { field: bytes.number(), df: bytes.number(), count: bytes.number(), last: bytes.number() };
      var lengths = [];
      for (var k = bytes.number(); k > 0; k--) lengths.push(bytes.number());
      entry.streams = lengths.map(function (length) { return bytes.take(length); });
      entries.push(entry);
    }
    return entries;
  }

  function readFile(data) {
    var bytes = new Bytes(data), kind = bytes.data[bytes.at++], n;
    if (kind === SPLIT) {
      var children = [];
      for (n = bytes.number(); n > 0; n--) children.push(bytes.text());
      return { kind: kind, children: children };
    }
    if (kind !== LEAF) return { kind: kind, entries: readEntries(bytes) };
    var terms = new Map();
    for (n = bytes.number(); n > 0; n--) {
      var text = bytes.text();
      terms.set(text, bytes.data[bytes.at++] === IN_OWN_FILE ? OWN : readEntries(bytes));
    }
    return { kind: kind, terms: terms };
  }

  function numbers(stream) {
    var out = [], value = 0, scale = 1;
    for (var i = 0; i < stream.length; i++) {
      var byte = stream[i];
      value += (byte & 0x7f) * scale;
      if (byte & 0x80) { scale *= 128; } else { out.push(value); value = 0; scale = 1; }
    }
    return out;
  }

  function inflate(buffer) {
    var stream = new Blob([buffer]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Response(stream).arrayBuffer().then(function (inflated) { return new Uint8Array(inflated); });
  }

  // A shard's key for a term at a given depth: its first letters, padded with "_" (as in Python).
  function childKey(text, width) {
    var chars = Array.from(text).slice(0, width).join("");
    while (Array.from(chars).length < width) chars += "_";
    return chars;
  }

  function Index(base, meta) {
    this.base = base;
    this.meta = meta;
    this.analysis = new Analysis(meta);
    this.files = new Map();
    this.fragments = new Map();
    this.themes = new Map();
    this.bytes = 0;
  }

  Index.prototype.fetchJSON = function (path) {
    var self = this;
    return fetch(this.base + path).then(function (response) {
      if (response.status === 404) return null;
      if (!response.ok) throw new Error(path + ": HTTP " + response.status);
      return response.text().then(function (text) { self.bytes += text.length; return JSON.parse(text); });
    });
  };

  // A compressed binary file, fetched once: null when it does not exist.
  Index.prototype.file = function (path) {
    var self = this;
    if (!this.files.has(path)) {
      this.files.set(path, fetch(this.base + path).then(function (response) {
        if (response.status === 404) return null;
        if (!response.ok) throw new Error(path + ": HTTP " + response.status);
        return response.arrayBuffer().then(function (buffer) {
          self.bytes += buffer.byteLength;
          return inflate(buffer).then(readFile);
        });
      }));
    }
    return this.files.get(path);
  };

  Index.prototype.shardFile = function (family, key) {
    return this.file(family + "/" + encodeURIComponent(key) + ".bin");
  };

  // The entries of one term: its shard (following splits down to its leaf), or its own file.
  Index.prototype.entries = function (text, family) {
    var self = this, key3 = this.analysis.key(text);
    function walk(key) {
      return self.shardFile(family, key).then(function (file) {
        if (!file) return [];
        if (file.kind === SPLIT) {
          var child = childKey(text, Array.from(key).length + 1);
          return file.children.indexOf(child) < 0 ? [] : walk(child);
        }
        var found = file.terms.get(text);
        if (found !== OWN) return found || [];
        var path = family + "/" + encodeURIComponent(key3) + "/" + encodeURIComponent(text) + ".bin";
        return self.file(path).then(function (own) { return own ? own.entries : []; });
      });
    }
    return walk(key3);
  };

  // Every term starting with a prefix (3 letters at least), in sorted order.
  Index.prototype.prefixTerms = function (prefix, family) {
    var self = this;
    function relevant(child) {
      var bare = child.replace(/_+$/, "");
      if (bare.length < child.length) return bare.indexOf(prefix) === 0;  // a short term alone
      return child.indexOf(prefix) === 0 || prefix.indexOf(child) === 0;
    }
    function walk(key) {
      return self.shardFile(family, key).then(function (file) {
        if (!file) return [];
        if (file.kind === SPLIT) {
          return Promise.all(file.children.filter(relevant).map(walk)).then(function (lists) {
            return [].concat.apply([], lists);
          });
        }
        return Array.from(file.terms.keys()).filter(function (text) { return text.indexOf(prefix) === 0; });
      });
    }
    return walk(this.analysis.key(prefix)).then(function (found) { return found.sort(); });
  };

  Index.prototype.fragment = function (docnum) {
    if (!this.fragments.has(docnum)) this.fragments.set(docnum, this.fetchJSON("d/" + docnum + ".json"));
    return this.fragments.get(docnum);
  };

  Index.prototype.theme = function (slug) {
    if (!this.themes.has(slug)) {
      this.themes.set(slug, this.fetchJSON("theme/" + encodeURIComponent(slug) + ".json").then(function (data) {
        var docs = new Set(), at = 0;
        decode(data || "").forEach(function (delta) { at += delta; docs.add(at); });
        return docs;
      }));
    }
    return this.themes.get(slug);
  };

  function decode(b64) {
    var bytes = atob(b64), data = new Uint8Array(bytes.length);
    for (var i = 0; i < bytes.length; i++) data[i] = bytes.charCodeAt(i);
    return numbers(data);
  }

  // -- scoring (search/ranking.py) --------------------------------------------------------------

  // postings: term → entries ("t" files); positions: term → entries ("p" files, phrases only);
  // prefixes: prefix → its terms, sorted.
  function Scorer(index, fields, postings, positions, prefixes) {
    this.index = index;
    this.meta = index.meta;
    this.fields = fields; // [{name, lang, boost, avgLength, position}]
    this.postings = postings;
    this.positions = positions;
    this.prefixes = prefixes;
  }

  // What a query needs fetched: the terms of its words and phrases in each field language, its
  // prefixes, and the terms whose positions its phrases need.
  // title:… — its child, with the fields of that part of the schema only.
  Scorer.prototype.scoped = function (node, run) {
    var outer = this.fields;
    this.fields = outer.filter(function (f) { return f.name.indexOf(node.part + "_") === 0; });
    try { return run(node.children[0]); } finally { this.fields = outer; }
  };

  Scorer.prototype.needs = function (node, into) {
    var self = this, a = this.index.analysis;
    if (node.type === "field") return this.scoped(node, function (child) { return self.needs(child, into); });
    if (node.type === "word") this.fields.forEach(function (f) { into.terms.add(a.term(node.text, f.lang)); });
    else if (node.type === "prefix") into.prefixes.add(node.text);
    else if (node.type === "phrase") {
      node.words.forEach(function (w) {
        self.fields.forEach(function (f) { var t = a.term(w, f.lang); into.terms.add(t); into.positions.add(t); });
      });
    } else {
      node.children.forEach(function (c) { self.needs(c, into); });
      (node.excluded || []).forEach(function (c) { self.needs(c, into); });
    }
    return into;
  };

  function entryFor(entries, field) {
    for (var i = 0; entries && i < entries.length; i++) if (entries[i].field === field.position) return entries[i];
    return null;
  }

  // Whoosh's BM25F for each posting of an entry (whoosh.scoring.bm25, idf from WeightingModel.idf).
  Scorer.prototype.termScores = function (field, entry, into) {
    var meta = this.meta, B = meta.B, K1 = meta.K1;
    var idf = Math.log(meta.docCount / (entry.df + 1)) + 1;
    var gaps = numbers(entry.streams[0]), tfs = numbers(entry.streams[1]), lengths = entry.streams[2], doc = 0;
    for (var i = 0; i < gaps.length; i++) {
      doc += gaps[i];
      var tf = tfs[i], fl = meta.lengthTable[lengths[i]];
      var score = idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + (B * fl) / field.avgLength))) * field.boost;
      into.set(doc, (into.get(doc) || 0) + score);
    }
  };

  // Document → word positions of one term in one field (positions come in the postings' order).
  Scorer.prototype.positionsOf = function (text, field) {
    var result = new Map();
    var posting = entryFor(this.postings.get(text), field), place = entryFor(this.positions.get(text), field);
    if (!posting || !place) return result;
    var gaps = numbers(posting.streams[0]), values = numbers(place.streams[0]), doc = 0, at = 0;
    for (var k = 0; k < gaps.length; k++) {
      doc += gaps[k];
      var count = values[at++], here = [], p = 0;
      for (var c = 0; c < count; c++) { p += values[at++]; here.push(p); }
      result.set(doc, here);
    }
    return result;
  };

  Scorer.prototype.evaluate = function (node) {
    var self = this, a = this.index.analysis, scores;
    if (node.type === "field") return this.scoped(node, function (child) { return self.evaluate(child); });
    if (node.type === "word" || node.type === "phrase") {
      // A phrase: all its words in one field, at consecutive positions (Whoosh's Phrase, slop 1);
      // it scores as the sum of its words' scores, as in Whoosh.
      var words = node.type === "word" ? [node.text] : node.words;
      scores = new Map();
      this.fields.forEach(function (f) {
        var perWord = words.map(function (w) {
          var entry = entryFor(self.postings.get(a.term(w, f.lang)), f), m = new Map();
          if (entry) self.termScores(f, entry, m);
          return m;
        });
        var found = intersect(perWord);
        if (node.type === "phrase" && found.size) {
          var places = words.map(function (w) { return self.positionsOf(a.term(w, f.lang), f); });
          found.forEach(function (s, doc) { if (!consecutive(places, doc)) found.delete(doc); });
        }
        found.forEach(function (s, doc) { scores.set(doc, (scores.get(doc) || 0) + s); });
      });
      return scores;
    }
    if (node.type === "prefix") {
      scores = new Map();
      (this.prefixes.get(node.text) || []).forEach(function (text) {
        self.fields.forEach(function (f) {
          var entry = entryFor(self.postings.get(text), f);
          if (entry) self.termScores(f, entry, scores);
        });
      });
      return scores;
    }
    var parts = node.children.map(function (c) { return self.evaluate(c); });
    if (node.type === "or") {
      scores = new Map();
      parts.forEach(function (m) { m.forEach(function (s, doc) { scores.set(doc, (scores.get(doc) || 0) + s); }); });
      return scores;
    }
    scores = intersect(parts);
    (node.excluded || []).forEach(function (c) { self.evaluate(c).forEach(function (s, doc) { scores.delete(doc); }); });
    return scores;
  };

  // Is there a start p with word i at p + i, for every word of the phrase?
  function consecutive(places, doc) {
    var lists = places.map(function (m) { return m.get(doc); });
    if (lists.some(function (l) { return !l; })) return false;
    var sets = lists.map(function (l) { return new Set(l); });
    return lists[0].some(function (start) {
      for (var i = 1; i < sets.length; i++) if (!sets[i].has(start + i)) return false;
      return true;
    });
  }

  function intersect(maps) {
    if (!maps.length) return new Map();
    var result = new Map();
    maps[0].forEach(function (s, doc) {
      var total = s;
      for (var i = 1; i < maps.length; i++) {
        if (!maps[i].has(doc)) return;
        total += maps[i].get(doc);
      }
      result.set(doc, total);
    });
    return result;
  }

  // Scores equal to the last bits (summing order differs between Python and this loop) are ties,
  // broken by document number, as in search/ranking.py.
  function compare(x, y) {
    var tolerance = 1e-9 * Math.max(Math.abs(x[1]), Math.abs(y[1]));
    if (Math.abs(x[1] - y[1]) > tolerance) return y[1] - x[1];
    return x[0] - y[0];
  }

  Index.prototype.search = function (text, options) {
    var self = this, analysis = this.analysis;
    var query = normalise(text);
    if (query.length > 500) return Promise.reject(new QueryError("the query is too long"));
    var node;
    try { node = new Parser(analysis, tokens(query)).parse(); } catch (e) { return Promise.reject(e); }
    if (!node) return Promise.resolve({ node: null, ranked: [] });
    var fields = this.meta.fields.map(function (f, i) {
      return { name: f.name, lang: f.lang, boost: f.boost, avgLength: f.avgLength, position: i };
    }).filter(function (f) { return !options.lang || f.lang === options.lang; });
    var postings = new Map(), positions = new Map(), prefixes = new Map();
    var scorer = new Scorer(this, fields, postings, positions, prefixes);
    var needs = scorer.needs(node, { terms: new Set(), prefixes: new Set(), positions: new Set() });
    function load(text, family, into) {
      return self.entries(text, family).then(function (entries) { into.set(text, entries); });
    }
    var loading = [];
    needs.terms.forEach(function (t) { loading.push(load(t, "t", postings)); });
    needs.positions.forEach(function (t) { loading.push(load(t, "p", positions)); });
    needs.prefixes.forEach(function (prefix) {
      loading.push(self.prefixTerms(prefix, "t").then(function (found) {
        prefixes.set(prefix, found);
        return Promise.all(found.map(function (t) { return load(t, "t", postings); }));
      }));
    });
    var themeDocs = options.theme ? this.theme(options.theme) : Promise.resolve(null);
    return Promise.all([themeDocs].concat(loading)).then(function (loaded) {
      var scores = scorer.evaluate(node);
      var allowed = loaded[0];
      var ranked = [];
      scores.forEach(function (s, doc) { if (!allowed || allowed.has(doc)) ranked.push([doc, s]); });
      ranked.sort(compare);
      return { node: node, ranked: ranked };
    });
  };

  // -- snippets ---------------------------------------------------------------------------------

  function matcher(index, node, lang) {
    var terms = new Set(), prefixes = [], a = index.analysis;
    (function walk(n) {
      if (!n) return;
      if (n.type === "word") terms.add(a.term(n.text, lang));
      else if (n.type === "phrase") n.words.forEach(function (w) { terms.add(a.term(w, lang)); });
      else if (n.type === "prefix") prefixes.push(n.text);
      else n.children.forEach(walk);
    })(node);
    return function (word) {
      var folded = fold(word);
      if (folded.length < a.minWord || a.stop.has(folded)) return false;
      if (prefixes.some(function (p) { return folded.indexOf(p) === 0; })) return true;
      return terms.has(a.term(folded, lang));
    };
  }

  // Pieces of text, [string, highlighted?], around the first matches; built into DOM nodes later.
  function snippet(text, isMatch, length) {
    var spans = [], m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text)) !== null) if (isMatch(m[0])) spans.push([m.index, m.index + m[0].length]);
    var start = 0;
    if (spans.length) start = Math.max(0, spans[0][0] - 60);
    if (start > 0) {  // cut between words, never inside one
      var space = text.slice(start, spans[0][0]).search(/\s/);
      start = space < 0 ? spans[0][0] : start + space + 1;
    }
    var end = Math.min(text.length, start + length);
    if (end < text.length) {
      var last = text.slice(start, end).search(/\s\S*$/);
      if (last > 0) end = start + last;
    }
    var pieces = [], at = start;
    if (start > 0) pieces.push(["… ", false]);
    spans.forEach(function (s) {
      if (s[0] < at || s[1] > end) return;
      pieces.push([text.slice(at, s[0]), false]);
      pieces.push([text.slice(s[0], s[1]), true]);
      at = s[1];
    });
    pieces.push([text.slice(at, end), false]);
    if (end < text.length) pieces.push([" …", false]);
    return pieces;
  }

  function highlighted(pieces) {
    var fragment = document.createDocumentFragment();
    pieces.forEach(function (p) {
      if (p[1]) { var mark = document.createElement("mark"); mark.textContent = p[0]; fragment.appendChild(mark); }
      else fragment.appendChild(document.createTextNode(p[0].replace(/\s+/g, " ")));
    });
    return fragment;
  }

  // -- the search page --------------------------------------------------------------------------

  function SearchPage(root) {
    this.root = root;
    this.form = root.querySelector("form");
    this.input = root.querySelector("input[name=q]");
    this.themeSelect = root.querySelector("select[name=theme]");
    this.langSelect = root.querySelector("select[name=lang]");
    this.status = root.querySelector("[data-search-status]");
    this.list = root.querySelector("[data-search-results]");
    this.more = root.querySelector("[data-search-more]");
    this.wider = root.querySelector("[data-search-any]");
    this.strings = JSON.parse(root.getAttribute("data-strings"));
    this.base = root.getAttribute("data-index");
    this.uiLang = root.getAttribute("data-lang");
    this.index = null;
    this.shown = 0;
    this.current = null;
    this.runs = 0;
  }

  SearchPage.prototype.say = function (key, values) {
    var text = this.strings[key] || key;
    Object.keys(values || {}).forEach(function (k) { text = text.replace("{" + k + "}", values[k]); });
    this.status.textContent = text;
  };

  function Unsupported() { this.message = "DecompressionStream"; }

  SearchPage.prototype.load = function () {
    var self = this;
    if (typeof DecompressionStream === "undefined") return Promise.reject(new Unsupported());
    if (!this.index) {
      this.index = fetch(this.base + "meta.json").then(function (r) {
        if (!r.ok) throw new Error("meta.json: HTTP " + r.status);
        return r.json();
      }).then(function (meta) {
        var index = new Index(self.base, meta);
        return index;
      });
    }
    return this.index;
  };

  SearchPage.prototype.start = function () {
    var self = this;
    var params = new URLSearchParams(window.location.search);
    this.input.value = params.get("q") || "";
    if (params.get("theme")) this.themeSelect.value = params.get("theme");
    if (params.get("lang")) this.langSelect.value = params.get("lang");
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.pushState();
      self.run();
    });
    [this.themeSelect, this.langSelect].forEach(function (select) {
      select.addEventListener("change", function () { if (self.input.value.trim()) { self.pushState(); self.run(); } });
    });
    this.more.addEventListener("click", function () { self.showMore(); });
    window.addEventListener("popstate", function () {
      var p = new URLSearchParams(window.location.search);
      self.input.value = p.get("q") || "";
      self.themeSelect.value = p.get("theme") || "";
      self.langSelect.value = p.get("lang") || "";
      self.run();
    });
    this.root.setAttribute("data-ready", "true");
    if (this.input.value.trim()) this.run();
    else { this.say("prompt"); this.input.focus(); }  // arrived from the header's button: type at once
  };

  // Nothing holds every word: offer the query for any of them, as a link keeping the filters.
  SearchPage.prototype.suggest = function (text) {
    var wider = anyOf(text);
    if (!wider) return;
    var p = new URLSearchParams();
    p.set("q", wider);
    if (this.themeSelect.value) p.set("theme", this.themeSelect.value);
    if (this.langSelect.value) p.set("lang", this.langSelect.value);
    var link = this.wider.querySelector("a");
    link.href = "?" + p.toString();
    link.textContent = (this.strings.any || "{q}").replace("{q}", wider);
    this.wider.hidden = false;
  };

  SearchPage.prototype.pushState = function () {
    var p = new URLSearchParams();
    if (this.input.value.trim()) p.set("q", this.input.value.trim());
    if (this.themeSelect.value) p.set("theme", this.themeSelect.value);
    if (this.langSelect.value) p.set("lang", this.langSelect.value);
    window.history.pushState(null, "", "?" + p.toString());
  };

  SearchPage.prototype.run = function () {
    var self = this, run = ++this.runs;
    var text = this.input.value;
    this.list.textContent = "";
    this.more.hidden = true;
    this.wider.hidden = true;
    this.shown = 0;
    if (!text.trim()) { this.say("prompt"); return Promise.resolve(); }
    this.say("searching");
    this.root.setAttribute("data-state", "searching");
    return this.load().then(function (index) {
      return index.search(text, { theme: self.themeSelect.value, lang: self.langSelect.value }).then(function (found) {
        if (run !== self.runs) return;
        self.current = found;
        var n = found.ranked.length;
        self.say(n === 0 ? "none" : n === 1 ? "one" : "many", { n: n.toLocaleString(self.uiLang), q: text });
        if (n === 0) self.suggest(text);
        return self.showMore();
      });
    }).catch(function (error) {
      if (run !== self.runs) return;
      var kind = error instanceof QueryError ? "bad_query" : error instanceof Unsupported ? "unsupported" : "failed";
      self.say(kind, { reason: error.message });
    }).then(function () {
      if (run === self.runs) self.root.setAttribute("data-state", "done");
    });
  };

  SearchPage.prototype.showMore = function () {
    var self = this, found = this.current;
    if (!found) return Promise.resolve();
    var page = found.ranked.slice(this.shown, this.shown + PAGE_SIZE);
    var first = this.shown;
    this.shown += page.length;
    return this.load().then(function (index) {
      return Promise.all(page.map(function (hit) { return index.fragment(hit[0]); })).then(function (docs) {
        docs.forEach(function (doc, i) {
          if (doc) self.list.appendChild(self.item(index, found.node, doc, page[i][0], first + i + 1));
        });
        self.more.hidden = self.shown >= found.ranked.length;
        if (first > 0) {
          var next = self.list.children[first];
          var link = next && next.querySelector("a");
          if (link) link.focus();
        }
      });
    });
  };

  SearchPage.prototype.item = function (index, node, doc, docnum, rank) {
    var li = document.createElement("li");
    li.className = "ent-result";
    li.setAttribute("data-slug", doc.slug);
    li.setAttribute("data-rank", String(rank));
    var h = document.createElement("h2");
    h.className = "ent-result__title";
    var a = document.createElement("a");
    a.href = this.base + "../" + doc.url;
    a.textContent = doc.title;
    if (doc.lang !== this.uiLang) a.setAttribute("lang", doc.lang);
    h.appendChild(a);
    li.appendChild(h);
    var meta = document.createElement("p");
    meta.className = "ent-result__meta";
    var date = new Date(doc.date + "T00:00:00");
    meta.textContent = [
      doc.themeTitle,
      this.strings["lang_" + doc.lang] || doc.lang,
      date.toLocaleDateString(this.uiLang, { year: "numeric", month: "long", day: "numeric" })
    ].join(" · ");
    li.appendChild(meta);
    var p = document.createElement("p");
    p.className = "ent-result__snippet";
    if (doc.lang !== this.uiLang) p.setAttribute("lang", doc.lang);
    p.appendChild(highlighted(snippet(doc.text, matcher(index, node, doc.lang), 240)));
    li.appendChild(p);
    return li;
  };

  window.entraideSearch = { fold: fold, tokens: tokens, Index: Index, Analysis: Analysis };

  function boot() {
    var root = document.querySelector("[data-entraide-search]");
    if (root) new SearchPage(root).start();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
