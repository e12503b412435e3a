"""What tests and benchmarks share: real servers started on loopback (the API, PostgreSQL, Redis, Chroma,
a scripted OpenAI-compatible model, a document web server) and the documents they are fed. Not shipped."""
