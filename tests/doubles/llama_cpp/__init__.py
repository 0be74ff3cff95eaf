"""Test double of llama-cpp-python (see tests/doubles/README.md)."""
