"""The web chat: a demo page at / and the JSON API it uses (the partner widget builds on this)."""
