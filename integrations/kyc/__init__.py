"""Identity verification (KYC): document reading, phone one-time codes, liveness, screening.

Each concern is a small module behind a port (a Protocol) with a local adapter, so a bank can
plug in its own OCR, SMS or screening provider.
"""
