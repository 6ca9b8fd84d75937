//! Read endpoints of the Data API: stages, archive reasons, users,
//! postings, opportunities, deleted opportunities and notes.

use reqwest::Method;

use super::transport::{segment, ApiRequest};
use super::LeverClient;
use crate::error::LeverError;
use crate::types::{
    ArchiveReason, DeletedOpportunity, Note, Opportunity, OpportunityFilter, Page, Posting, Stage,
    User,
};

impl LeverClient {
    /// Lists every pipeline stage of the account (`GET /stages`).
    pub async fn list_stages(&self, access_token: &str) -> Result<Vec<Stage>, LeverError> {
        self.fetch_all(access_token, || {
            ApiRequest::new(Method::GET, "/stages", "/stages".to_string())
        })
        .await
    }

    /// Lists every archive reason, active and inactive
    /// (`GET /archive_reasons`). Filter on `status` before offering them.
    pub async fn list_archive_reasons(
        &self,
        access_token: &str,
    ) -> Result<Vec<ArchiveReason>, LeverError> {
        self.fetch_all(access_token, || {
            ApiRequest::new(
                Method::GET,
                "/archive_reasons",
                "/archive_reasons".to_string(),
            )
        })
        .await
    }

    /// Lists every active user (`GET /users`); Lever leaves deactivated
    /// users out by default.
    pub async fn list_users(&self, access_token: &str) -> Result<Vec<User>, LeverError> {
        self.fetch_all(access_token, || {
            ApiRequest::new(Method::GET, "/users", "/users".to_string())
        })
        .await
    }

    /// Lists every posting the token may see (`GET /postings`), with its description
    /// (`include=content`), which Tryout imports as a job's introduction.
    pub async fn list_postings(&self, access_token: &str) -> Result<Vec<Posting>, LeverError> {
        self.fetch_all(access_token, || {
            let mut request = ApiRequest::new(Method::GET, "/postings", "/postings".to_string());
            request.query.push(("include", "content".to_string()));
            request
        })
        .await
    }

    /// Fetches one page of `GET /opportunities`. `offset` is the `next`
    /// token of the previous page, passed as received.
    pub async fn list_opportunities_page(
        &self,
        access_token: &str,
        filter: &OpportunityFilter,
        offset: Option<&str>,
    ) -> Result<Page<Opportunity>, LeverError> {
        let mut request = opportunities_request(filter);
        request.offset = offset;

        self.fetch_page(access_token, request).await
    }

    /// Fetches every page of `GET /opportunities`, `filter.limit` items per
    /// page.
    pub async fn list_opportunities(
        &self,
        access_token: &str,
        filter: &OpportunityFilter,
    ) -> Result<Vec<Opportunity>, LeverError> {
        self.fetch_all(access_token, || opportunities_request(filter))
            .await
    }

    /// Fetches every page of `GET /opportunities/deleted`, optionally only
    /// opportunities deleted at or after `deleted_at_start` (milliseconds
    /// since the Unix epoch). Each page's `next` token is sent back as
    /// received.
    pub async fn list_deleted_opportunities(
        &self,
        access_token: &str,
        deleted_at_start: Option<i64>,
    ) -> Result<Vec<DeletedOpportunity>, LeverError> {
        self.fetch_all(access_token, || {
            let mut request = ApiRequest::new(
                Method::GET,
                "/opportunities/deleted",
                "/opportunities/deleted".to_string(),
            );
            if let Some(start) = deleted_at_start {
                request.query.push(("deleted_at_start", start.to_string()));
            }
            request
        })
        .await
    }

    /// Fetches one opportunity (`GET /opportunities/:id`).
    pub async fn get_opportunity(
        &self,
        access_token: &str,
        opportunity_id: &str,
    ) -> Result<Opportunity, LeverError> {
        let path = format!("/opportunities/{}", segment(opportunity_id));
        let request = ApiRequest::new(Method::GET, "/opportunities/{id}", path);

        self.send_for_data(access_token, request).await
    }

    /// Lists every note on an opportunity (`GET /opportunities/:id/notes`).
    pub async fn list_notes(
        &self,
        access_token: &str,
        opportunity_id: &str,
    ) -> Result<Vec<Note>, LeverError> {
        let path = format!("/opportunities/{}/notes", segment(opportunity_id));

        self.fetch_all(access_token, || {
            ApiRequest::new(Method::GET, "/opportunities/{id}/notes", path.clone())
        })
        .await
    }
}

/// Builds `GET /opportunities` with the filter as query parameters.
fn opportunities_request(filter: &OpportunityFilter) -> ApiRequest<'static> {
    let mut request = ApiRequest::new(Method::GET, "/opportunities", "/opportunities".to_string());

    if let Some(stage_id) = &filter.stage_id {
        request.query.push(("stage_id", stage_id.clone()));
    }
    if let Some(posting_id) = &filter.posting_id {
        request.query.push(("posting_id", posting_id.clone()));
    }
    if let Some(archived) = filter.archived {
        request.query.push(("archived", archived.to_string()));
    }
    if let Some(advanced_at_start) = filter.advanced_at_start {
        request
            .query
            .push(("advanced_at_start", advanced_at_start.to_string()));
    }
    if let Some(archived_at_start) = filter.archived_at_start {
        request
            .query
            .push(("archived_at_start", archived_at_start.to_string()));
    }
    if let Some(email) = &filter.email {
        request.query.push(("email", email.clone()));
    }
    if let Some(limit) = filter.limit {
        request.query.push(("limit", limit.to_string()));
    }

    request
}

#[cfg(test)]
mod tests {
    use super::*;
    use url::Url;

    #[test]
    fn filter_becomes_query() {
        let filter = OpportunityFilter {
            stage_id: Some("lead-new".to_string()),
            posting_id: Some("p1".to_string()),
            archived: Some(false),
            advanced_at_start: Some(1_750_000_000_000),
            archived_at_start: Some(1_750_000_000_001),
            email: Some("a+b@example.com".to_string()),
            limit: Some(50),
        };
        let base = Url::parse("https://api.lever.co/v1").unwrap();

        let url = opportunities_request(&filter).url(&base).unwrap();

        assert_eq!(
            url.as_str(),
            "https://api.lever.co/v1/opportunities?stage_id=lead-new&posting_id=p1&archived=false\
             &advanced_at_start=1750000000000&archived_at_start=1750000000001\
             &email=a%2Bb%40example.com&limit=50"
        );
    }

    #[test]
    fn empty_filter_has_no_query() {
        let base = Url::parse("https://api.lever.co/v1").unwrap();

        let url = opportunities_request(&OpportunityFilter::default())
            .url(&base)
            .unwrap();

        assert_eq!(url.as_str(), "https://api.lever.co/v1/opportunities");
    }
}
