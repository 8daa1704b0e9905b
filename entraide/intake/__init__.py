"""The intake: a small web service where someone without a git account submits a post.

It writes exactly the submission files ``entraide new`` writes, checked by the same code as
``entraide check``, and answers with a receipt only once the file is on disk. It never publishes:
every post still goes through ``entraide review``. Modules, one job each: ``settings`` (what the
service is told), ``tokens`` (signed form tokens), ``abuse`` (honeypot, fill time, links, rate
limit), ``forms`` (form ↔ submission fields), ``spool`` (durable writes: submissions and
quarantine), ``rendering`` (escaped templates, security headers), ``limits`` (body size), ``app``
(routes).
"""
