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
  var TYPING_PAUSE = 300;  // ms

  function fold(text) {
    return text
      .toLowerCase()
      .normalize("NFKD")
      .replace(/\p{M}/gu, "")
      .replace(/[œæßøđłı]/g, function (c) { return LIGATURES[c]; });
  }

  // A query the parser refuses: an English message, and the key of its translation (reason_<key>).
  function QueryError(message, key, values) { this.message = message; this.key = key; this.values = values || {}; }

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
        if (!m[4]) throw new QueryError("unclosed quote", "unclosed");
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
      throw new QueryError("'" + m[1] + ":' cannot be searched in the query, only title: can; filter by theme, tag or language instead", "filter_field", { field: m[1] });
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
    if (this.peek() === ")") throw new QueryError("unbalanced parenthesis", "parenthesis");
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
      if ([null, ")", "OR", "AND"].indexOf(this.peek()) >= 0) throw new QueryError("NOT must be followed by a word", "not_word");
      var node = this.atom();
      if (node !== null) (negative ? excluded : required).push(node);
    }
    required = unique(flatten(required));
    excluded = unique(excluded);
    if (!required.length) {
      if (excluded.length) throw new QueryError("a query needs at least one word that is not excluded", "only_excluded");
      return null;
    }
    if (required.length === 1 && !excluded.length) return required[0];
    return { type: "and", children: required, excluded: excluded };
  };

  Parser.prototype.atom = function () {
    var token = this.take();
    if (token[0] === "scope") {
      if ([null, ")", "OR", "AND", "NOT", "scope"].indexOf(this.peek()) >= 0) {
        throw new QueryError(token[1] + ": must be followed by a word, a phrase or a group", "scope_word", { field: token[1] });
      }
      var child = this.atom();
      return child === null ? null : { type: "field", part: token[1], children: [child] };
    }
    if (token[0] === "(") {
      var node = this.orExpr();
      if (this.peek() !== ")") throw new QueryError("unbalanced parenthesis", "parenthesis");
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
      if (!pieces.length || stem.indexOf("*") >= 0) throw new QueryError("a wildcard goes at the end of a word", "wildcard_end");
      var prefix = fold(pieces[pieces.length - 1]);
      if (Array.from(prefix).length < this.a.minPrefix) throw new QueryError("a prefix needs at least " + this.a.minPrefix + " letters", "prefix_short", { n: this.a.minPrefix });
      var leading = this.a.words(pieces.slice(0, -1).join(" ")).map(function (w) { return { type: "word", text: w }; });
      return all(leading.concat([{ type: "prefix", text: prefix }]));
    }
    if (text.indexOf("*") >= 0 || text.replace(/\?+$/, "").indexOf("?") >= 0) throw new QueryError("only a trailing * is supported", "wildcard_end");
    // search/query.py _word: a hyphenated compound is its joined form or its parts
    var nodes = [], m, re = new RegExp(COMPOUND_OR_WORD.source, "gu");
    while ((m = re.exec(text)) !== null) {
      var parts = all(self.a.words(m[0]).map(function (w) { return { type: "word", text: w }; }));
      var whole = m[1] ? joinedWord(m[0]) : "";
      if (whole && !self.a.stop.has(whole)) {
        var one = { type: "word", text: whole };
        nodes.push(parts !== null && !same(parts, one) ? { type: "or", children: [one, parts] } : one);
      } else if (parts !== null) nodes.push(parts);
    }
    return all(nodes);
  };

  var COMPOUND_OR_WORD = /([\p{L}\p{N}]+(?:[-\u2010\u2011][\p{L}\p{N}]+)+)|[\p{L}\p{N}]+/gu;

  function joinedWord(compound) { return (compound.match(WORD) || []).map(fold).join(""); }

  // search/query.py loose: plain words, with the joined form of each pair of adjacent plain words.
  function loose(analysis, children) {
    var pairs = [];
    for (var i = 0; i + 1 < children.length; i++) {
      var a = children[i], b = children[i + 1];
      var both = a.type === "word" && b.type === "word" ? a.text + b.text : "";
      pairs.push(both && !analysis.stop.has(both) ? { type: "word", text: both } : null);
    }
    return { type: "most", children: children, pairs: pairs };
  }

  function parse(analysis, query) {
    var list = tokens(query);
    var node = new Parser(analysis, list).parse();
    if (!node && list.some(function (t) { return t[0] === "word" && ["AND", "OR", "NOT"].indexOf(t[1]) < 0; })) {
      throw new QueryError("only words too common to search for (le, the, de…): add a word that says what you are looking for", "common");
    }
    if (node && node.type === "and" && !node.excluded.length && list.every(function (t) { return t[0] === "word"; })) {
      return loose(analysis, node.children);
    }
    return node;
  }

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

  // The vocabulary's words filed under a key (search/vocabulary.py): [[word, document frequency]…].
  Index.prototype.words = function (key) {
    var self = this, path = "w/" + encodeURIComponent(key) + ".bin";
    if (!this.files.has(path)) {
      this.files.set(path, fetch(this.base + path).then(function (response) {
        if (response.status === 404) return [];
        if (!response.ok) throw new Error(path + ": HTTP " + response.status);
        return response.arrayBuffer().then(function (buffer) {
          self.bytes += buffer.byteLength;
          return inflate(buffer).then(function (data) {
            var bytes = new Bytes(data), found = [];
            for (var n = bytes.number(); n > 0; n--) { var w = bytes.text(); found.push([w, bytes.number()]); }
            return found;
          });
        });
      }));
    }
    return this.files.get(path);
  };

  // The vocabulary's words starting with a prefix (3 letters at least: one file), as written.
  Index.prototype.prefixWords = function (prefix) {
    return this.words(this.analysis.key(prefix)).then(function (found) {
      return found.map(function (e) { return e[0]; }).filter(function (w) { return w.indexOf(prefix) === 0; });
    });
  };

  // -- spelling (search/spelling.py) ------------------------------------------------------------

  function distance(a, b, ceiling) {  // optimal string alignment, over code points
    a = Array.from(a); b = Array.from(b);
    if (Math.abs(a.length - b.length) > ceiling) return ceiling + 1;
    var before = [], previous = [], i, j;
    for (j = 0; j <= b.length; j++) previous.push(j);
    for (i = 1; i <= a.length; i++) {
      var current = [i];
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) current[j] = Math.min(current[j], before[j - 2] + 1);
      }
      if (Math.min.apply(null, current) > ceiling) return ceiling + 1;
      before = previous; previous = current;
    }
    return previous[previous.length - 1];
  }

  function allowedEdits(word) {
    var n = Array.from(word).length;
    return n < 4 ? 0 : n >= 8 ? 2 : 1;
  }

  Index.prototype.candidateKeys = function (word) {
    var chars = Array.from(word), keys = [this.analysis.key(word)];
    [0, 1].forEach(function (at) {
      if (chars.length > at + 1) {
        var swapped = chars.slice(0, at).concat([chars[at + 1], chars[at]], chars.slice(at + 2)).join("");
        keys.push(this.analysis.key(swapped));
      }
    }, this);
    return keys.filter(function (k, i) { return keys.indexOf(k) === i; });
  };

  // The correction of an unknown word, or null (none close enough, or the word itself is known).
  Index.prototype.bestWord = function (word) {
    var ceiling = allowedEdits(word);
    if (!ceiling) return Promise.resolve(null);
    var self = this;
    return Promise.all(this.candidateKeys(word).map(function (k) { return self.words(k); })).then(function (lists) {
      var chosen = null;
      lists.forEach(function (list) {
        list.forEach(function (e) {
          var edits = distance(word, e[0], ceiling);
          if (edits > ceiling) return;
          var rank = [edits, -e[1], e[0]];
          if (!chosen || rank[0] < chosen[0] || (rank[0] === chosen[0] && (rank[1] < chosen[1] ||
              (rank[1] === chosen[1] && rank[2] < chosen[2])))) chosen = rank;
        });
      });
      return !chosen || chosen[0] === 0 ? null : chosen[2];
    });
  };

  // search/spelling.py corrected: each word fixed (phrases as typed), a loose query's pairs joined again.
  function corrected(analysis, node, fix) {
    if (node.type === "word") return fix.has(node.text) ? { type: "word", text: fix.get(node.text) } : node;
    if (node.type === "prefix" || node.type === "phrase") return node;
    var children = node.children.map(function (c) { return corrected(analysis, c, fix); });
    if (node.type === "most") return loose(analysis, children);
    if (node.type === "and") {
      return { type: "and", children: children, excluded: node.excluded.map(function (c) { return corrected(analysis, c, fix); }) };
    }
    if (node.type === "or") return { type: "or", children: children };
    return { type: "field", part: node.part, children: children };
  }

  // The words of a tree, in the order search/spelling.py meets them (excluded ones after the rest).
  function wordsOf(node, into) {
    if (node.type === "word") { if (into.indexOf(node.text) < 0) into.push(node.text); }
    else if (node.type !== "prefix" && node.type !== "phrase") {
      node.children.forEach(function (c) { wordsOf(c, into); });
      (node.excluded || []).forEach(function (c) { wordsOf(c, into); });
    }
    return into;
  }

  Index.prototype.fragment = function (docnum) {
    if (!this.fragments.has(docnum)) this.fragments.set(docnum, this.fetchJSON("d/" + docnum + ".json"));
    return this.fragments.get(docnum);
  };

  // The threads of a theme ("theme/") or of a tag ("tag/"), fetched once each when a filter asks.
  Index.prototype.listed = function (family, slug) {
    var key = family + "/" + encodeURIComponent(slug) + ".json";
    if (!this.themes.has(key)) {
      this.themes.set(key, this.fetchJSON(key).then(function (data) {
        var docs = new Set(), at = 0;
        decode(data || "").forEach(function (delta) { at += delta; docs.add(at); });
        return docs;
      }));
    }
    return this.themes.get(key);
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
    this.langs = new Map();  // document → its language (a thread fills the fields of its own only)
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
      (node.pairs || []).forEach(function (c) { if (c) self.needs(c, into); });
    }
    return into;
  };

  // Whether a searched field holds the term of a word (postings loaded).
  Scorer.prototype.known = function (word) {
    var self = this, a = this.index.analysis;
    return this.fields.some(function (f) { return entryFor(self.postings.get(a.term(word, f.lang)), f) !== null; });
  };

  // search/ranking.py rank: scores, and for a loose query how many of its words each document covers.
  Scorer.prototype.rank = function (node) {
    var self = this;
    if (node.type !== "most") return { scores: this.evaluate(node), coverage: null };
    var parts = node.children.map(function (c) { return self.evaluate(c); });
    var covered = parts.map(function (m) { return new Set(m.keys()); });
    var all = parts.slice();
    node.pairs.forEach(function (pair, at) {
      if (!pair) return;
      var m = self.evaluate(pair);
      all.push(m);
      m.forEach(function (s, doc) { covered[at].add(doc); covered[at + 1].add(doc); });
    });
    var scores = new Map(), coverage = new Map();
    all.forEach(function (m) { m.forEach(function (s, doc) { scores.set(doc, (scores.get(doc) || 0) + s); }); });
    covered.forEach(function (set) { set.forEach(function (doc) { coverage.set(doc, (coverage.get(doc) || 0) + 1); }); });
    var together = this.together(node);
    scores.forEach(function (s, doc) { scores.set(doc, s * (together.get(doc) || 1)); });
    return { scores: scores, coverage: coverage };
  };

  // search/ranking.py together: a factor for how many of a loose query's words one post holds
  // together (the opening post with its title, or the best reply); 1 where none holds two of them.
  Scorer.prototype.together = function (node) {
    var self = this, n = node.children.length, best = new Map(), factors = new Map(), weight = this.meta.together;
    if (n < 2) return factors;
    this.meta.posts.forEach(function (parts) {
      var fields = self.fields.filter(function (f) { return parts.indexOf(f.name.split("_")[0]) >= 0; });
      var marked = node.children.map(function (c) { return self.foundIn(c, fields); });
      node.pairs.forEach(function (pair, at) {
        if (!pair) return;
        self.foundIn(pair, fields).forEach(function (doc) { marked[at].add(doc); marked[at + 1].add(doc); });
      });
      var counts = new Map();
      marked.forEach(function (set) { set.forEach(function (doc) { counts.set(doc, (counts.get(doc) || 0) + 1); }); });
      counts.forEach(function (c, doc) { if (c > (best.get(doc) || 0)) best.set(doc, c); });
    });
    best.forEach(function (c, doc) { var share = Math.max(c - 1, 0) / (n - 1); factors.set(doc, 1 + weight * (share * share)); });
    return factors;
  };

  // The documents where a word or a prefix of a loose query is found in one of some fields.
  Scorer.prototype.foundIn = function (node, fields) {
    var self = this, a = this.index.analysis, found = new Set();
    if (node.type !== "word" && node.type !== "prefix") return found;
    fields.forEach(function (f) {
      var texts = node.type === "word" ? [a.term(node.text, f.lang)]
        : Array.from(new Set((self.prefixes.get(node.text) || []).map(function (w) { return a.term(w, f.lang); })));
      texts.forEach(function (text) {
        var entry = entryFor(self.postings.get(text), f);
        if (entry) docsOf(entry).forEach(function (doc) { found.add(doc); });
      });
    });
    return found;
  };

  // An entry's document numbers, decoded once for all that need them (scores, the together factor).
  function docsOf(entry) {
    if (!entry.docs) {
      var gaps = numbers(entry.streams[0]), doc = 0;
      entry.docs = gaps.map(function (gap) { doc += gap; return doc; });
    }
    return entry.docs;
  }

  function entryFor(entries, field) {
    for (var i = 0; entries && i < entries.length; i++) if (entries[i].field === field.position) return entries[i];
    return null;
  }

  // Whoosh's BM25F for each posting of an entry (whoosh.scoring.bm25, idf from WeightingModel.idf).
  Scorer.prototype.termScores = function (field, entry, into) {
    var meta = this.meta, B = meta.B, K1 = meta.K1;
    var idf = Math.log(meta.docCount / (entry.df + 1)) + 1;
    var docs = docsOf(entry), tfs = numbers(entry.streams[1]), lengths = entry.streams[2];
    for (var i = 0; i < docs.length; i++) {
      var doc = docs[i], tf = tfs[i], fl = meta.lengthTable[lengths[i]];
      var score = idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + (B * fl) / field.avgLength))) * field.boost;
      into.set(doc, (into.get(doc) || 0) + score);
      this.langs.set(doc, field.lang);
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
      var words = this.prefixes.get(node.text) || [];
      self.fields.forEach(function (f) {
        var terms = new Set(words.map(function (w) { return a.term(w, f.lang); }));
        terms.forEach(function (text) {
          var entry = entryFor(self.postings.get(text), f);
          if (entry) self.termScores(f, entry, scores);
        });
      });
      return scores;
    }
    if (node.type === "most") return this.rank(node).scores;
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
    if (query.length > 500) return Promise.reject(new QueryError("the query is too long", "too_long"));
    var node;
    try { node = parse(analysis, query); } catch (e) { return Promise.reject(e); }
    if (!node) return Promise.resolve({ node: null, ranked: [], total: 0, partial: 0, corrections: [], elsewhere: 0 });
    var fields = this.meta.fields.map(function (f, i) {
      return { name: f.name, lang: f.lang, boost: f.boost, avgLength: f.avgLength, position: i };
    }).filter(function (f) { return !options.lang || f.lang === options.lang; });
    var postings = new Map(), positions = new Map(), prefixes = new Map();
    var scorer = new Scorer(this, fields, postings, positions, prefixes);
    function load(text, family, into) {
      if (into.has(text)) return Promise.resolve();
      return self.entries(text, family).then(function (entries) { into.set(text, entries); });
    }
    function fetchFor(tree) {
      var needs = scorer.needs(tree, { terms: new Set(), prefixes: new Set(), positions: new Set() });
      var loading = [];
      needs.terms.forEach(function (t) { loading.push(load(t, "t", postings)); });
      needs.positions.forEach(function (t) { loading.push(load(t, "p", positions)); });
      needs.prefixes.forEach(function (prefix) {
        loading.push(self.prefixWords(prefix).then(function (found) {
          prefixes.set(prefix, found);
          var terms = new Set();
          found.forEach(function (w) { fields.forEach(function (f) { terms.add(analysis.term(w, f.lang)); }); });
          return Promise.all(Array.from(terms).map(function (t) { return load(t, "t", postings); }));
        }));
      });
      return Promise.all(loading);
    }
    var corrections = [];
    var filters = Promise.all([options.theme ? this.listed("theme", options.theme) : null,
                               options.tag ? this.listed("tag", options.tag) : null]);
    return fetchFor(node).then(function () {
      // unknown words: corrected from the vocabulary (search/spelling.py correct)
      var unknown = wordsOf(node, []).filter(function (w) { return !scorer.known(w); });
      return Promise.all(unknown.map(function (w) { return self.bestWord(w); })).then(function (better) {
        var fix = new Map();
        unknown.forEach(function (w, i) { if (better[i]) { fix.set(w, better[i]); corrections.push([w, better[i]]); } });
        if (!fix.size) return null;
        node = corrected(analysis, node, fix);
        return fetchFor(node);
      });
    }).then(function () { return filters; }).then(function (lists) {
      var inTheme = lists[0], tagged = lists[1];
      var ranked = scorer.rank(node), n = node.type === "most" ? node.children.length : 0;
      var list = [], total = 0, unfiltered = 0, fullDocs = [], anyDocs = [];
      ranked.scores.forEach(function (s, doc) {
        var cover = ranked.coverage ? ranked.coverage.get(doc) : 0, full = !ranked.coverage || cover === n;
        if (full) unfiltered++;
        if (tagged && !tagged.has(doc)) return;  // the theme counts are those of the chosen tag
        if (full) fullDocs.push(doc);
        anyDocs.push(doc);
        if (inTheme && !inTheme.has(doc)) return;
        if (full) total++;
        list.push([doc, s, cover, full]);
      });
      list.sort(function (x, y) { return y[2] - x[2] || compare(x, y); });
      // the threads found by language, as the CLI's facets count them: those with every word, if any
      var langCounts = {};
      list.forEach(function (hit) {
        if (total && !hit[3]) return;
        var lang = scorer.langs.get(hit[0]);
        langCounts[lang] = (langCounts[lang] || 0) + 1;
      });
      return {
        node: node, prefixes: prefixes, langCounts: langCounts, ranked: list, total: total, partial: list.length - total, corrections: corrections,
        // what the theme filter counts, whatever theme is chosen: those with every word, if any (as the CLI's facets)
        themeDocs: fullDocs.length ? fullDocs : anyDocs,
        elsewhere: (inTheme || tagged) && !list.length ? unfiltered : 0
      };
    });
  };

  // -- snippets ---------------------------------------------------------------------------------

  // Whether a word of a text is one of the query's terms in a language (search/posts.py matcher);
  // a prefix stands for the terms of the vocabulary's words it expanded to.
  function matcher(index, found, lang) {
    var terms = new Set(), a = index.analysis;
    (function walk(n) {
      if (!n) return;
      if (n.type === "word") terms.add(a.term(n.text, lang));
      else if (n.type === "phrase") n.words.forEach(function (w) { terms.add(a.term(w, lang)); });
      else if (n.type === "prefix") (found.prefixes.get(n.text) || []).forEach(function (w) { terms.add(a.term(w, lang)); });
      else { n.children.forEach(walk); (n.pairs || []).forEach(walk); }
    })(found.node);
    return function (word) {
      var folded = fold(word);
      if (folded.length < a.minWord || a.stop.has(folded)) return false;
      return terms.has(a.term(folded, lang));
    };
  }

  // The reply with more matched words than the opening post and every other reply (search/posts.py).
  function bestReply(text, starts, isMatch) {
    var counts = [0], post = 0, m;
    starts.forEach(function () { counts.push(0); });
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text)) !== null) {
      while (post < starts.length && starts[post][1] <= m.index) post++;
      if (isMatch(m[0])) counts[post]++;
    }
    var best = 0;
    for (var i = 1; i < counts.length; i++) if (counts[i] > counts[best]) best = i;
    return best > 0 && counts[best] > 0 ? starts[best - 1][0] : null;
  }

  // Spaces a line may break at (search/searching.py one_line): the no-break spaces of French
  // typography are kept, and a snippet is never cut at one.
  var BREAKABLE = /[^\S\u00a0\u202f]/, BREAKABLES = /[^\S\u00a0\u202f]+/g, LAST_BREAK = /[^\S\u00a0\u202f][\S\u00a0\u202f]*$/;

  // Pieces of text, [string, highlighted?], around the first matches; built into DOM nodes later.
  function snippet(text, isMatch, length) {
    var spans = [], m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text)) !== null) if (isMatch(m[0])) spans.push([m.index, m.index + m[0].length]);
    var start = 0;
    if (spans.length) start = Math.max(0, spans[0][0] - 60);
    if (start > 0) {  // cut between words, never inside one
      var space = text.slice(start, spans[0][0]).search(BREAKABLE);
      start = space < 0 ? spans[0][0] : start + space + 1;
    }
    var end = Math.min(text.length, start + length);
    if (end < text.length) {
      var last = text.slice(start, end).search(LAST_BREAK);
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
      else fragment.appendChild(document.createTextNode(p[0].replace(BREAKABLES, " ")));
    });
    return fragment;
  }

  // -- the search page --------------------------------------------------------------------------

  function SearchPage(root) {
    this.root = root;
    this.form = root.querySelector("form");
    this.input = root.querySelector("input[name=q]");
    this.themeSelect = root.querySelector("select[name=theme]");
    this.tagSelect = root.querySelector("select[name=tag]");
    this.tagLabels = new Map();  // a result's tags are shown by their labels in this page's language
    if (this.tagSelect) Array.prototype.forEach.call(this.tagSelect.options, function (o) {
      if (o.value) this.tagLabels.set(o.value, o.textContent);
    }, this);
    this.langSelect = root.querySelector("select[name=lang]");
    this.status = root.querySelector("[data-search-status]");
    this.list = root.querySelector("[data-search-results]");
    this.more = root.querySelector("[data-search-more]");
    this.wider = root.querySelector("[data-search-any]");
    this.correctedNote = root.querySelector("[data-search-corrected]");
    this.elsewhere = root.querySelector("[data-search-elsewhere]");
    this.partialList = root.querySelector("[data-search-partial]");
    this.partialHeading = root.querySelector("[data-search-partial-heading]");
    this.nothing = root.querySelector("[data-search-nothing]");
    this.typing = null;
    this.strings = JSON.parse(root.getAttribute("data-strings"));
    this.base = root.getAttribute("data-index");
    this.uiLang = root.getAttribute("data-lang");
    this.index = null;
    this.shown = 0;
    this.current = null;
    this.runs = 0;
  }

  SearchPage.prototype.text = function (key, values) {
    var text = this.strings[key] || key;
    Object.keys(values || {}).forEach(function (k) { text = text.replace("{" + k + "}", values[k]); });
    return text;
  };

  SearchPage.prototype.say = function (key, values, more) {
    this.status.textContent = this.text(key, values) + (more || "");
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
    if (params.get("tag") && this.tagSelect) this.tagSelect.value = params.get("tag");
    if (params.get("lang")) this.langSelect.value = params.get("lang");
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.pushState();
      self.run();
    });
    [this.themeSelect, this.tagSelect, this.langSelect].filter(Boolean).forEach(function (select) {
      select.addEventListener("change", function () { if (self.input.value.trim()) { self.pushState(); self.run(); } });
    });
    ["focus", "pointerdown", "keydown"].forEach(function (kind) {
      self.themeSelect.addEventListener(kind, function () { self.loadThemes(); });
    });
    if (this.themeSelect.value) this.loadThemes();  // a theme is chosen already: the others' counts explain it
    this.more.addEventListener("click", function () { self.showMore(); });
    // Results as you type: once typing pauses, for words of three letters or more (shorter ones
    // would fetch files of their own that the finished word does not need).
    this.input.addEventListener("input", function () {
      window.clearTimeout(self.typing);
      self.typing = window.setTimeout(function () {
        var words = self.input.value.trim().split(/\s+/);
        if (!self.input.value.trim() || Array.from(words[words.length - 1]).length < 3) return;
        self.replaceState();
        self.run();
      }, TYPING_PAUSE);
    });
    // "/" puts the cursor in the search box, as in Material.
    document.addEventListener("keydown", function (event) {
      var target = event.target, tag = target && target.tagName;
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
      if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)) return;
      event.preventDefault();
      self.input.focus();
    });
    window.addEventListener("popstate", function () {
      var p = new URLSearchParams(window.location.search);
      self.input.value = p.get("q") || "";
      self.themeSelect.value = p.get("theme") || "";
      if (self.tagSelect) self.tagSelect.value = p.get("tag") || "";
      self.langSelect.value = p.get("lang") || "";
      self.run();
    });
    // On a phone the header shows its button alone: here, it leads to this page's own box.
    var header = document.getElementById("ent-header-q");
    if (header && header.form) {
      header.form.addEventListener("submit", function (event) {
        if (header.offsetParent !== null) return;
        event.preventDefault();
        self.input.focus();
      });
    }
    this.root.setAttribute("data-ready", "true");
    this.keepInHeader();
    if (this.input.value.trim()) this.run();
    else { this.say("prompt"); this.input.focus(); }  // arrived from the header's button: type at once
  };

  // Nothing holds every word: offer the query for any of them, as a link keeping the filters, once
  // it is known to find something with them (search/searching.py wider_query).
  SearchPage.prototype.suggest = function (index, text, run) {
    var self = this, wider = anyOf(text);
    if (!wider) return Promise.resolve();
    var options = { theme: this.themeSelect.value, lang: this.langSelect.value };
    return index.search(wider, options).then(function (found) {
      if (run === self.runs && found.total) self.offer(wider);
    }, function () {});
  };

  SearchPage.prototype.offer = function (wider) {
    var p = new URLSearchParams();
    p.set("q", wider);
    if (this.themeSelect.value) p.set("theme", this.themeSelect.value);
    if (this.tag()) p.set("tag", this.tag());
    if (this.langSelect.value) p.set("lang", this.langSelect.value);
    var link = this.wider.querySelector("a");
    link.href = "?" + p.toString();
    link.textContent = (this.strings.any || "{q}").replace("{q}", wider);
    this.wider.hidden = false;
  };

  // Next to each language of the filter, how many threads the query finds in it.
  SearchPage.prototype.countLanguages = function (counts) {
    var self = this;
    Array.prototype.forEach.call(this.langSelect.options, function (option) {
      if (!option.value) return;
      if (!option.hasAttribute("data-label")) option.setAttribute("data-label", option.textContent);
      var label = option.getAttribute("data-label"), n = counts ? counts[option.value] || 0 : null;
      option.textContent = n === null ? label : label + " (" + n.toLocaleString(self.uiLang) + ")";
    });
  };

  SearchPage.prototype.tag = function () {
    return this.tagSelect ? this.tagSelect.value : "";
  };

  // Counts next to the themes: each theme's thread list is fetched the first time the reader opens
  // the theme filter (never for a query alone), then every result counts them at once.
  SearchPage.prototype.loadThemes = function () {
    var self = this;
    if (this.themeSets) return this.themeSets;
    var slugs = Array.prototype.map.call(this.themeSelect.options, function (o) { return o.value; }).filter(Boolean);
    this.themeSets = this.load().then(function (index) {
      return Promise.all(slugs.map(function (slug) { return index.listed("theme", slug); })).then(function (sets) {
        var bySlug = new Map();
        slugs.forEach(function (slug, i) { bySlug.set(slug, sets[i]); });
        return bySlug;
      });
    });
    this.themeSets.then(function () { self.countThemes(); });
    return this.themeSets;
  };

  SearchPage.prototype.countThemes = function () {
    var self = this, found = this.current;
    if (!this.themeSets) return;
    this.themeSets.then(function (bySlug) {
      var docs = self.input.value.trim() && found === self.current && found ? found.themeDocs : null;
      Array.prototype.forEach.call(self.themeSelect.options, function (option) {
        if (!option.value) return;
        if (!option.hasAttribute("data-label")) option.setAttribute("data-label", option.textContent);
        var label = option.getAttribute("data-label"), set = bySlug.get(option.value), n = 0;
        if (docs) docs.forEach(function (doc) { if (set.has(doc)) n++; });
        option.textContent = docs ? label + " (" + n.toLocaleString(self.uiLang) + ")" : label;
      });
    });
  };

  SearchPage.prototype.replaceState = function () {
    window.history.replaceState(null, "", "?" + this.params().toString());
    this.keepInHeader();
  };

  // The header's box shows the query of the results page.
  SearchPage.prototype.keepInHeader = function () {
    var header = document.getElementById("ent-header-q");
    if (header) header.value = this.input.value.trim();
  };

  SearchPage.prototype.params = function () {
    var p = new URLSearchParams();
    if (this.input.value.trim()) p.set("q", this.input.value.trim());
    if (this.themeSelect.value) p.set("theme", this.themeSelect.value);
    if (this.tag()) p.set("tag", this.tag());
    if (this.langSelect.value) p.set("lang", this.langSelect.value);
    return p;
  };

  SearchPage.prototype.pushState = function () {
    this.keepInHeader();
    var p = new URLSearchParams();
    if (this.input.value.trim()) p.set("q", this.input.value.trim());
    if (this.themeSelect.value) p.set("theme", this.themeSelect.value);
    if (this.tag()) p.set("tag", this.tag());
    if (this.langSelect.value) p.set("lang", this.langSelect.value);
    window.history.pushState(null, "", "?" + p.toString());
  };

  SearchPage.prototype.run = function () {
    var self = this, run = ++this.runs;
    var text = this.input.value;
    this.list.textContent = "";
    this.partialList.textContent = "";
    this.partialHeading.hidden = true;
    this.more.hidden = true;
    this.wider.hidden = true;
    this.correctedNote.hidden = true;
    this.elsewhere.hidden = true;
    this.nothing.hidden = true;
    this.shown = 0;
    if (!text.trim()) { this.say("prompt"); this.countLanguages(null); this.current = null; this.countThemes(); return Promise.resolve(); }
    this.say("searching");
    this.root.setAttribute("data-state", "searching");
    return this.load().then(function (index) {
      return index.search(text, { theme: self.themeSelect.value, tag: self.tag(), lang: self.langSelect.value }).then(function (found) {
        if (run !== self.runs) return;
        self.current = found;
        var n = found.total, p = found.partial, ui = self.uiLang;
        if (n === 0 && p > 0) self.say("partial_only", { n: p.toLocaleString(ui), q: text });
        else {
          var more = n > 0 && p > 0 ? self.text("partial_more", { n: p.toLocaleString(ui) }) : "";
          self.say(n === 0 ? "none" : n === 1 ? "one" : "many", { n: n.toLocaleString(ui), q: text }, more);
        }
        if (found.corrections.length) {
          self.correctedNote.textContent = found.corrections.map(function (c) {
            return self.text("corrected", { typed: c[0], searched: c[1] });
          }).join(" ");
          self.correctedNote.hidden = false;
        }
        if (found.elsewhere) {
          var link = self.elsewhere.querySelector("a"), params = new URLSearchParams();
          params.set("q", text.trim());
          if (self.langSelect.value) params.set("lang", self.langSelect.value);
          link.href = "?" + params.toString();
          link.textContent = self.text("elsewhere", { n: found.elsewhere.toLocaleString(ui) });
          self.elsewhere.hidden = false;
        }
        var suggesting = n === 0 && p === 0 ? self.suggest(index, text, run) : Promise.resolve();
        if (n === 0) self.nothing.hidden = false;  // ask the question, or browse the themes
        self.countLanguages(found.langCounts);
        self.countThemes();
        return suggesting.then(function () { return self.showMore(); });
      });
    }).catch(function (error) {
      if (run !== self.runs) return;
      var kind = error instanceof QueryError ? "bad_query" : error instanceof Unsupported ? "unsupported" : "failed";
      var reason = error.message;
      if (error instanceof QueryError && self.strings["reason_" + error.key]) reason = self.text("reason_" + error.key, error.values);
      self.say(kind, { reason: reason });
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
          if (!doc) return;
          var partial = !page[i][3], item = self.item(index, found, doc, page[i][0], first + i + 1);
          if (partial) { item.setAttribute("data-partial", "true"); self.partialHeading.hidden = false; }
          (partial ? self.partialList : self.list).appendChild(item);
        });
        self.more.hidden = self.shown >= found.ranked.length;
        if (first > 0) {
          var next = self.root.querySelectorAll("[data-search-results] > li, [data-search-partial] > li")[first];
          var link = next && next.querySelector("a");
          if (link) link.focus();
        }
      });
    });
  };

  SearchPage.prototype.item = function (index, found, doc, docnum, rank) {
    var isMatch = matcher(index, found, doc.lang), reply = bestReply(doc.text, doc.starts || [], isMatch);
    var li = document.createElement("li");
    li.className = "ent-result";
    li.setAttribute("data-slug", doc.slug);
    li.setAttribute("data-rank", String(rank));
    var h = document.createElement("h2");
    h.className = "ent-result__title";
    var a = document.createElement("a");
    a.href = this.base + "../" + doc.url + (reply ? "#reply-" + encodeURIComponent(reply) : "");
    if (reply) li.setAttribute("data-reply", reply);
    a.textContent = doc.title;
    if (doc.lang !== this.uiLang) a.setAttribute("lang", doc.lang);
    h.appendChild(a);
    li.appendChild(h);
    var meta = document.createElement("p");
    meta.className = "ent-result__meta";
    var date = new Date(doc.date + "T00:00:00");
    var theme = (index.meta.themes || []).filter(function (t) { return t.slug === doc.theme; })[0];
    meta.textContent = [
      theme ? theme.title[this.uiLang] || doc.themeTitle : doc.themeTitle,
      this.strings["lang_" + doc.lang] || doc.lang,
      date.toLocaleDateString(this.uiLang, { year: "numeric", month: "long", day: "numeric" })
    ].join(" · ");
    li.appendChild(meta);
    var p = document.createElement("p");
    p.className = "ent-result__snippet";
    if (doc.lang !== this.uiLang) p.setAttribute("lang", doc.lang);
    p.appendChild(highlighted(snippet(doc.text, isMatch, 240)));
    li.appendChild(p);
    if (doc.tags && doc.tags.length) li.appendChild(this.tagList(doc.tags));
    return li;
  };

  // A result's tags as the thread pages show them (templates/_macros.html tag_list), each by its
  // label in this page's language, linking to the tag's page.
  SearchPage.prototype.tagList = function (slugs) {
    var ul = document.createElement("ul");
    ul.className = "ent-tags";
    ul.setAttribute("aria-label", this.strings.tags || "");
    slugs.forEach(function (slug) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.className = "ent-tag";
      a.href = this.base + "../tags/" + encodeURIComponent(slug) + "/";
      a.textContent = this.tagLabels.get(slug) || slug;
      li.appendChild(a);
      ul.appendChild(li);
    }, this);
    return ul;
  };

  window.entraideSearch = { fold: fold, tokens: tokens, Index: Index, Analysis: Analysis };

  function boot() {
    var root = document.querySelector("[data-entraide-search]");
    if (root) new SearchPage(root).start();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
