"""The searchable library: segmenting documents, the search index and vector store, embeddings, retrieval,
the query cache, document versions, background jobs, and syncing the shared corpus between hosts."""
