"""Understanding the question: normalising and checking text, spelling, follow-up questions, question
kinds, the scope (documents, issuers, places) a question asks about, and redacting personal data."""
