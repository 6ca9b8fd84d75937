//! Drives real `tryout serve` processes the way many candidates and one Super Admin would,
//! against a Lever simulator in this process. The multi-process test and `scripts/bench`
//! both use it, so what the benchmark measures is what the test proves correct.

pub mod answers;
pub mod candidate;
pub mod cluster;
pub mod consent;
pub mod process;

pub use cluster::{Cluster, ClusterOptions};
