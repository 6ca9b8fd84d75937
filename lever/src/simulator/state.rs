//! The in-memory state of one simulator: settings, knobs, the seeded
//! account, issued tokens, webhooks and request counts.

use std::collections::{BTreeMap, VecDeque};

use super::config::{Seed, SimConfig, SimUser};
use super::knobs::Knobs;
use super::paging::Offsets;
use super::rate_limit::RateLimiter;
use super::records::{DeletedRecord, SimOpportunity};
use super::tokens::TokenStore;
use super::webhooks::{DeliveryAttempt, SimWebhook};
use crate::types::{ArchiveReason, Posting, Stage, User};

pub(crate) struct SimState {
    /// Settings given at start, restored by `POST /_sim/reset`.
    pub initial_config: SimConfig,
    /// Settings in force, changed by knobs.
    pub config: SimConfig,
    pub knobs: Knobs,
    pub stages: Vec<Stage>,
    pub archive_reasons: Vec<ArchiveReason>,
    pub users: Vec<SimUser>,
    pub postings: Vec<Posting>,
    pub opportunities: Vec<SimOpportunity>,
    pub deleted_opportunities: Vec<DeletedRecord>,
    pub webhooks: Vec<SimWebhook>,
    /// The latest webhook delivery attempts, oldest first.
    pub webhook_deliveries: VecDeque<DeliveryAttempt>,
    /// Webhook delivery attempts that got a 2xx response.
    pub webhook_attempts_delivered: u64,
    /// Delivery attempts that got another status, a timeout or a transport
    /// error.
    pub webhook_attempts_failed: u64,
    pub tokens: TokenStore,
    /// Requests per endpoint, keyed like `GET /v1/opportunities/:id`.
    pub request_counts: BTreeMap<String, u64>,
    /// API requests the rate limit rejected with 429 (injected failures not counted).
    pub rate_limited_responses: u64,
    pub offsets: Offsets,
    pub rate_limiter: RateLimiter,
}

impl SimState {
    pub fn new(config: SimConfig) -> Self {
        Self {
            initial_config: config.clone(),
            config,
            knobs: Knobs::default(),
            stages: Vec::new(),
            archive_reasons: Vec::new(),
            users: Vec::new(),
            postings: Vec::new(),
            opportunities: Vec::new(),
            deleted_opportunities: Vec::new(),
            webhooks: Vec::new(),
            webhook_deliveries: VecDeque::new(),
            webhook_attempts_delivered: 0,
            webhook_attempts_failed: 0,
            tokens: TokenStore::default(),
            request_counts: BTreeMap::new(),
            rate_limited_responses: 0,
            offsets: Offsets::default(),
            rate_limiter: RateLimiter::default(),
        }
    }

    /// Replaces the account data with `seed` and clears the deleted
    /// opportunities. Tokens, webhooks, knobs and counts stay.
    pub fn install_seed(&mut self, seed: Seed) {
        let posting_ids: Vec<String> = seed
            .postings
            .iter()
            .map(|posting| posting.id.clone())
            .collect();

        self.opportunities = seed
            .opportunities
            .into_iter()
            .map(|opportunity| {
                let linked = opportunity
                    .applications
                    .iter()
                    .filter(|application| posting_ids.contains(application))
                    .cloned()
                    .collect();
                SimOpportunity::new(opportunity, linked)
            })
            .collect();
        self.deleted_opportunities.clear();
        self.stages = seed.stages;
        self.archive_reasons = seed.archive_reasons;
        self.users = seed.users;
        self.postings = seed.postings;
    }

    pub fn opportunity(&self, id: &str) -> Option<&SimOpportunity> {
        self.opportunities
            .iter()
            .find(|record| record.opportunity.id == id)
    }

    pub fn opportunity_mut(&mut self, id: &str) -> Option<&mut SimOpportunity> {
        self.opportunities
            .iter_mut()
            .find(|record| record.opportunity.id == id)
    }

    /// Finds a user who exists and is not deactivated.
    pub fn active_user(&self, id: &str) -> Option<&User> {
        self.users
            .iter()
            .map(|sim_user| &sim_user.user)
            .find(|user| user.id == id && user.deactivated_at.is_none())
    }

    pub fn stage_index(&self, id: &str) -> Option<usize> {
        self.stages.iter().position(|stage| stage.id == id)
    }
}
