"""Real-time credit decision: scorecard, policy rules, initial limit, reasons, simulator, fraud rings.

Training (``train``, ``artifact``) uses pandas and optbinning and runs offline; everything on the
request path (``compiled``, ``features``, ``policy``, ``limits``, ``reasons``, ``decide``,
``simulate``, ``matching``) is plain Python over a lookup table compiled from the artifact, so a
decision takes microseconds. ``fraud`` links applications by keyed hashes of shared attributes;
``records`` stores decisions (encrypted) so a reviewer can reproduce them exactly.
"""
