"""Test double of ``llama_cpp.server`` (see tests/doubles/README.md)."""
