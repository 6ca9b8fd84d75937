//! Paging through opportunities over real HTTP, with the simulator's
//! opaque offset tokens.

mod common;

use std::collections::HashSet;

use common::*;
use lever::simulator::SimConfig;
use lever::{LeverError, OpportunityFilter};

#[tokio::test]
async fn all_pages_collected_once() {
    let harness = start_with(SimConfig::default(), seed(130)).await;
    let token = harness.connect().await.access_token;
    let filter = OpportunityFilter {
        limit: Some(50),
        ..OpportunityFilter::default()
    };

    let opportunities = harness
        .client
        .list_opportunities(&token, &filter)
        .await
        .unwrap();

    let ids: HashSet<&str> = opportunities
        .iter()
        .map(|opportunity| opportunity.id.as_str())
        .collect();
    assert_eq!(opportunities.len(), 130);
    assert_eq!(ids.len(), 130);
    let pages = harness
        .sim
        .simulator
        .snapshot()
        .request_count("GET /v1/opportunities");
    assert_eq!(pages, 3);
}

#[tokio::test]
async fn pages_are_newest_first() {
    let harness = start_with(SimConfig::default(), seed(5)).await;
    let token = harness.connect().await.access_token;

    let opportunities = harness
        .client
        .list_opportunities(&token, &OpportunityFilter::default())
        .await
        .unwrap();

    let created: Vec<i64> = opportunities
        .iter()
        .map(|opportunity| opportunity.created_at.unwrap())
        .collect();
    let mut sorted = created.clone();
    sorted.sort_by(|left, right| right.cmp(left));
    assert_eq!(created, sorted);
}

#[tokio::test]
async fn page_by_page_with_tokens() {
    let harness = start_with(SimConfig::default(), seed(120)).await;
    let token = harness.connect().await.access_token;
    let filter = OpportunityFilter {
        limit: Some(50),
        ..OpportunityFilter::default()
    };

    let first = harness
        .client
        .list_opportunities_page(&token, &filter, None)
        .await
        .unwrap();
    let next = first.next.clone().expect("first page has a next token");
    let second = harness
        .client
        .list_opportunities_page(&token, &filter, Some(&next))
        .await
        .unwrap();
    let third = harness
        .client
        .list_opportunities_page(&token, &filter, second.next.as_deref())
        .await
        .unwrap();

    assert!(first.has_next);
    assert!(next.starts_with("%5B1%2C"), "{next}");
    assert_eq!(first.data.len(), 50);
    assert_eq!(second.data.len(), 50);
    assert_eq!(third.data.len(), 20);
    assert!(!third.has_next);
    assert_eq!(third.next, None);
    assert_ne!(first.data[0].id, second.data[0].id);
}

#[tokio::test]
async fn filtered_pages_collected_once() {
    let harness = start_with(SimConfig::default(), seed(130)).await;
    let token = harness.connect().await.access_token;
    let filter = OpportunityFilter {
        stage_id: Some(ASSESSMENT_STAGE.to_string()),
        archived: Some(false),
        limit: Some(20),
        ..OpportunityFilter::default()
    };

    let opportunities = harness
        .client
        .list_opportunities(&token, &filter)
        .await
        .unwrap();

    let ids: HashSet<&str> = opportunities
        .iter()
        .map(|opportunity| opportunity.id.as_str())
        .collect();
    assert_eq!(opportunities.len(), 65);
    assert_eq!(ids.len(), 65);
    assert!(opportunities
        .iter()
        .all(|opportunity| opportunity.stage.as_deref() == Some(ASSESSMENT_STAGE)));
}

#[tokio::test]
async fn fabricated_offset_rejected() {
    let harness = start_with(SimConfig::default(), seed(10)).await;
    let token = harness.connect().await.access_token;
    let fabricated = "%5B1%2C1750233409740%2C%2248dd4e94-fea0-4f9a-be5f-95b1853cbbbe%22%5D";

    let result = harness
        .client
        .list_opportunities_page(&token, &OpportunityFilter::default(), Some(fabricated))
        .await;

    match result {
        Err(LeverError::Rejected { status, code, .. }) => {
            assert_eq!(status, 400);
            assert_eq!(code, "BadRequest");
        }
        other => panic!("expected Rejected 400, got {other:?}"),
    }
}

#[tokio::test]
async fn double_encoded_offset_rejected() {
    let harness = start_with(SimConfig::default(), seed(10)).await;
    let token = harness.connect().await.access_token;
    let filter = OpportunityFilter {
        limit: Some(3),
        ..OpportunityFilter::default()
    };
    let next = harness
        .client
        .list_opportunities_page(&token, &filter, None)
        .await
        .unwrap()
        .next
        .unwrap();
    let double_encoded = next.replace('%', "%25");

    let result = harness
        .client
        .list_opportunities_page(&token, &filter, Some(&double_encoded))
        .await;

    assert!(
        matches!(result, Err(LeverError::Rejected { status: 400, .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn limit_out_of_range_rejected() {
    let harness = start_with(SimConfig::default(), seed(3)).await;
    let token = harness.connect().await.access_token;

    for limit in [0, 101] {
        let filter = OpportunityFilter {
            limit: Some(limit),
            ..OpportunityFilter::default()
        };

        let result = harness
            .client
            .list_opportunities_page(&token, &filter, None)
            .await;

        assert!(
            matches!(result, Err(LeverError::Rejected { status: 400, .. })),
            "limit {limit}: {result:?}"
        );
    }
}
