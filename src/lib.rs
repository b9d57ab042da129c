//! End-to-end, multi-process tests for Stepping Stones live in `tests/`.
