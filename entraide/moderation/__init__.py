"""Submissions and moderation: screening untrusted posts, editors' decisions, the moderation log.

``submissions`` reads pending posts and checks them against the published content, ``screening``
flags what a human must look at (personal data, raw HTML, odd links, size), ``decisions`` carries
out accept / reject / withdraw / redact as crash-safe ``journal`` operations, each recorded in the
``log``.
"""
