"""Vietnamese text: NFC, legacy-encoding detection, speech normalizer, phrase splitting."""
