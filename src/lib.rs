//! mlsd-studio: practise machine-learning system design interviews.
//!
//! Everything outside `ui` is plain Rust with plain data, so it can be tested
//! and benchmarked without a window.

pub mod about;
pub mod app;
pub mod cli;
pub mod content;
pub mod diagram;
pub mod estimate;
pub mod export;
pub mod format;
pub mod framework;
pub mod fsutil;
pub mod import;
pub mod mock;
pub mod progress;
pub mod remote;
pub mod review;
pub mod session;
pub mod settings;
pub mod sim;
pub mod ui;
