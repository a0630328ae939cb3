import Testing

/// Every end-to-end suite, run one test at a time. Most of these tests block a thread
/// while the CLI or daemon works; run side by side on a small machine they starve Swift's
/// cooperative thread pool until daemons time out idle sessions, so they take turns.
@Suite(.serialized) enum EndToEnd {}
