//! The client's types parse responses captured from Lever's sandbox.

use lever::{CreatedNote, Note, Opportunity, Page, User};

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("read {path}: {error}"))
}

#[test]
fn opportunities_page_parses() {
    let page: Page<Opportunity> =
        serde_json::from_str(&fixture("opportunities-page.json")).unwrap();

    assert!(page.has_next);
    assert_eq!(page.data.len(), 1);

    let opportunity = &page.data[0];
    assert_eq!(opportunity.id, "2087af84-f146-4535-9368-2309e33e049f");
    assert_eq!(opportunity.name.as_deref(), Some("Candidate Example"));
    assert_eq!(
        opportunity.contact.as_deref(),
        Some("e2719ee1-21f5-4287-a60a-59bd29deac80")
    );
    assert_eq!(opportunity.stage.as_deref(), Some("lead-new"));
    assert_eq!(opportunity.archived, None);
    assert!(opportunity.emails.is_empty());
    assert_eq!(opportunity.tags.len(), 4);
    assert_eq!(opportunity.created_at, Some(1_750_233_426_190));
    assert_eq!(opportunity.updated_at, Some(1_750_247_948_243));
    assert_eq!(opportunity.last_advanced_at, Some(1_750_233_426_190));
    assert_eq!(
        opportunity.applications,
        vec!["2b7f3433-111a-4659-a302-58a32cd2e33c"]
    );
    assert_eq!(
        opportunity
            .urls
            .as_ref()
            .and_then(|urls| urls.show.as_deref()),
        Some("https://hire.sandbox.lever.co/candidates/2087af84-f146-4535-9368-2309e33e049f")
    );
}

#[test]
fn next_token_kept_verbatim() {
    let page: Page<Opportunity> =
        serde_json::from_str(&fixture("opportunities-page.json")).unwrap();

    assert_eq!(
        page.next.as_deref(),
        Some("%5B1%2C1750233409740%2C%2248dd4e94-fea0-4f9a-be5f-95b1853cbbbe%22%5D")
    );
}

#[test]
fn created_note_parses_full_shape() {
    let created: CreatedNote = serde_json::from_value(
        serde_json::from_str::<serde_json::Value>(&fixture("note-created.json")).unwrap()["data"]
            .clone(),
    )
    .unwrap();

    assert_eq!(created.note_id, "26b6397a-c2a3-4e90-85e2-5a4f9b8f11c3");
}

#[test]
fn created_note_parses_documented_shape() {
    let created: CreatedNote = serde_json::from_str(r#"{"noteId":"n-1"}"#).unwrap();

    assert_eq!(created.note_id, "n-1");
}

#[test]
fn created_note_falls_back_to_id() {
    let created: CreatedNote = serde_json::from_str(r#"{"id":"n-2"}"#).unwrap();

    assert_eq!(created.note_id, "n-2");
}

#[test]
fn created_note_without_id_fails() {
    let result = serde_json::from_str::<CreatedNote>(r#"{"text":"Note"}"#);

    assert!(result.is_err());
}

#[test]
fn note_fixture_parses_as_note() {
    let value: serde_json::Value = serde_json::from_str(&fixture("note-created.json")).unwrap();
    let note: Note = serde_json::from_value(value["data"].clone()).unwrap();

    assert_eq!(note.id, "26b6397a-c2a3-4e90-85e2-5a4f9b8f11c3");
    assert_eq!(note.user, None);
    assert!(!note.secret);
    assert_eq!(note.created_at, Some(1_750_421_318_058));
    assert_eq!(note.fields.len(), 1);
    assert_eq!(note.fields[0].r#type.as_deref(), Some("note"));
    assert_eq!(note.fields[0].score, None);
    assert_eq!(note.body(), "Hiring on 2+ experience");
}

#[test]
fn users_page_parses() {
    let page: Page<User> = serde_json::from_str(&fixture("users-page.json")).unwrap();

    assert!(page.has_next);
    assert_eq!(
        page.next.as_deref(),
        Some("%5B1733206956064%2C%22c21d911f-8292-49b7-b135-f7cc233b43fd%22%5D")
    );

    let user = &page.data[0];
    assert_eq!(user.id, "e0a9f3e3-bd9b-4eb1-8d2c-0d9a572bf641");
    assert_eq!(user.access_role.as_deref(), Some("super admin"));
    assert_eq!(user.email.as_deref(), Some("admin@example.com"));
    assert_eq!(user.deactivated_at, None);
}

#[test]
fn timestamps_accept_strings() {
    let json = r#"{"id":"o1","createdAt":"1468953420000","updatedAt":null,"lastAdvancedAt":1468953420001}"#;

    let opportunity: Opportunity = serde_json::from_str(json).unwrap();

    assert_eq!(opportunity.created_at, Some(1_468_953_420_000));
    assert_eq!(opportunity.updated_at, None);
    assert_eq!(opportunity.last_advanced_at, Some(1_468_953_420_001));
}

#[test]
fn non_numeric_timestamp_rejected() {
    let result = serde_json::from_str::<Opportunity>(r#"{"id":"o1","createdAt":"yesterday"}"#);

    assert!(result.is_err());
}

#[test]
fn expanded_stage_reads_as_id() {
    let json = r#"{"id":"o1","stage":{"id":"lead-new","text":"New lead"},"applications":[{"id":"a1","posting":"p1"}]}"#;

    let opportunity: Opportunity = serde_json::from_str(json).unwrap();

    assert_eq!(opportunity.stage.as_deref(), Some("lead-new"));
    assert_eq!(opportunity.applications, vec!["a1"]);
}

#[test]
fn archived_state_parses() {
    let json = r#"{"id":"o1","archived":{"archivedAt":1468953420000,"reason":"r1"}}"#;

    let opportunity: Opportunity = serde_json::from_str(json).unwrap();
    let archived = opportunity.archived.unwrap();

    assert_eq!(archived.archived_at, Some(1_468_953_420_000));
    assert_eq!(archived.reason.as_deref(), Some("r1"));
}

#[test]
fn null_lists_read_as_empty() {
    let opportunity: Opportunity =
        serde_json::from_str(r#"{"id":"o1","emails":null,"tags":null}"#).unwrap();

    assert!(opportunity.emails.is_empty());
    assert!(opportunity.tags.is_empty());
}

#[test]
fn last_page_without_next_parses() {
    let page: Page<User> = serde_json::from_str(r#"{"data":[],"hasNext":false}"#).unwrap();

    assert!(!page.has_next);
    assert_eq!(page.next, None);
}
