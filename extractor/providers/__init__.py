"""Reaching LLM endpoints: settings, the openai+instructor client, the HTTP transport
with its retries, the response cache, the embedded llama.cpp server.

Everything here speaks to a provider; nothing here decides what a chunk's outcome is
(:mod:`extractor.extraction.pipeline` does). Only :mod:`.client` imports the openai SDK,
which takes a second: the rest is safe to import anywhere.
"""
