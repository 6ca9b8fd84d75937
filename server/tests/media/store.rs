//! The media store's contract, each test body written once and run against a local
//! directory and against S3 (moto).

use std::io;
use std::time::{Duration, Instant};

use app::ssr::media::{GetRange, MediaError, MediaKey, MediaKind, PART_SIZE};
use bytes::Bytes;
use futures::StreamExt;

use crate::backends::{chunked, new_key, read_all, sha256, test_body, TestStore};

const NORTHWIND: &str = "0191e5a2-7c3b-7d4e-8f60-1a2b3c4d5e6f";
const GLOBEX: &str = "0191e5a2-9d01-7a6b-b2c3-d4e5f6a7b8c9";
const MAX_SIZE: u64 = 64 << 20;

/// Chunk sizes that never line up with a part boundary.
const UNEVEN_CHUNKS: [usize; 6] = [1, 7, 65_521, 1_048_573, 3_000_017, 4_093];

/// Runs each named test body against both backends, as `<name>::local` and `<name>::s3`.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test]
                async fn local() {
                    super::$name(crate::backends::TestStore::local().await).await;
                }

                #[tokio::test]
                async fn s3() {
                    super::$name(crate::backends::TestStore::s3().await).await;
                }
            }
        )*
    };
}

on_both_backends!(
    round_trip_in_uneven_chunks,
    empty_body_round_trip,
    range_reads,
    too_large_body_stores_nothing,
    body_of_exactly_max_size_is_stored,
    failing_body_stores_nothing,
    dropped_upload_is_aborted,
    delete_then_read_is_not_found,
    invalid_key_parts_are_rejected,
    invalid_content_type_stores_nothing,
    organizations_are_isolated,
);

async fn round_trip_in_uneven_chunks(store: TestStore) {
    let body = test_body(2 * PART_SIZE + 1_234_567, 1);
    let key = new_key(NORTHWIND);

    let stored = store
        .media
        .put_stream(
            &key,
            Some("video/webm"),
            MAX_SIZE,
            chunked(&body, &UNEVEN_CHUNKS),
        )
        .await
        .unwrap();

    assert_eq!(stored.size, body.len() as u64);
    assert_eq!(stored.sha256, sha256(&body));
    assert_eq!(stored.parts, body.len().div_ceil(PART_SIZE));
    assert!(stored.parts > 1, "the upload used {} part(s)", stored.parts);
    if let Some(parts) = store.parts_recorded(&key).await {
        assert_eq!(parts, stored.parts, "parts the backend recorded");
    }

    let read = store.media.get(&key).await.unwrap();
    let expected_content_type = store
        .media
        .backend()
        .stores_content_type()
        .then(|| "video/webm".to_owned());
    assert_eq!(read.meta.size, body.len() as u64);
    assert_eq!(read.meta.content_type, expected_content_type);
    assert_eq!(read.range, 0..body.len() as u64);
    let read_back = read_all(read).await;
    assert_eq!(read_back.len(), body.len());
    assert_eq!(sha256(&read_back), sha256(&body));
    assert!(
        read_back == body,
        "the bytes read back differ from those written"
    );

    let meta = store.media.head(&key).await.unwrap();
    assert_eq!(meta.size, body.len() as u64);
    assert_eq!(meta.content_type, expected_content_type);
}

async fn empty_body_round_trip(store: TestStore) {
    let key = new_key(NORTHWIND);

    let stored = store
        .media
        .put_stream(&key, None, MAX_SIZE, chunked(&[], &[1]))
        .await
        .unwrap();

    assert_eq!(stored.size, 0);
    assert_eq!(stored.sha256, sha256(&[]));
    assert_eq!(stored.parts, 0);
    let read = store.media.get(&key).await.unwrap();
    assert_eq!(read.meta.size, 0);
    assert!(read_all(read).await.is_empty());
    assert_eq!(
        store
            .media
            .get_range(&key, GetRange::Offset(0))
            .await
            .unwrap_err(),
        MediaError::InvalidRange
    );
}

async fn range_reads(store: TestStore) {
    let body = test_body((1 << 20) + 100, 2);
    let len = body.len() as u64;
    let key = new_key(NORTHWIND);
    store
        .media
        .put_stream(&key, Some("video/mp4"), MAX_SIZE, chunked(&body, &[65_536]))
        .await
        .unwrap();

    let satisfiable = [
        (GetRange::Bounded(1_000..5_000), 1_000..5_000),
        (GetRange::Bounded(0..1), 0..1),
        (GetRange::Offset(len - 10), len - 10..len),
        (GetRange::Suffix(100), len - 100..len),
        (GetRange::Suffix(len + 50), 0..len),
        (GetRange::Bounded(len - 5..len + 100), len - 5..len),
    ];
    for (range, expected) in satisfiable {
        let read = store
            .media
            .get_range(&key, range.clone())
            .await
            .unwrap_or_else(|error| panic!("{range}: {error}"));
        assert_eq!(read.range, expected, "{range}");
        assert_eq!(read.meta.size, len, "{range}");
        let bytes = read_all(read).await;
        assert!(
            bytes == body[expected.start as usize..expected.end as usize],
            "{range} returned other bytes"
        );
    }

    let unsatisfiable = [
        GetRange::Bounded(len..len + 1),
        GetRange::Offset(len),
        GetRange::Bounded(5..5),
        GetRange::Suffix(0),
    ];
    for range in unsatisfiable {
        let error = store
            .media
            .get_range(&key, range.clone())
            .await
            .unwrap_err();
        assert_eq!(error, MediaError::InvalidRange, "{range}");
    }

    let missing = new_key(NORTHWIND);
    assert_eq!(
        store
            .media
            .get_range(&missing, GetRange::Offset(0))
            .await
            .unwrap_err(),
        MediaError::NotFound
    );
}

async fn too_large_body_stores_nothing(store: TestStore) {
    let max_size = 6 << 20;
    let body = test_body(7 << 20, 3);
    let key = new_key(NORTHWIND);

    let error = store
        .media
        .put_stream(&key, None, max_size, chunked(&body, &[1 << 20]))
        .await
        .unwrap_err();

    assert_eq!(error, MediaError::TooLarge { max_size });
    assert_eq!(
        store.media.head(&key).await.unwrap_err(),
        MediaError::NotFound
    );
    assert_eq!(store.stored().await, Vec::<String>::new());
}

async fn body_of_exactly_max_size_is_stored(store: TestStore) {
    let body = test_body(PART_SIZE + 17, 4);
    let key = new_key(NORTHWIND);

    let stored = store
        .media
        .put_stream(
            &key,
            None,
            body.len() as u64,
            chunked(&body, &UNEVEN_CHUNKS),
        )
        .await
        .unwrap();

    assert_eq!(stored.size, body.len() as u64);
    assert_eq!(
        store.media.head(&key).await.unwrap().size,
        body.len() as u64
    );
}

async fn failing_body_stores_nothing(store: TestStore) {
    let key = new_key(NORTHWIND);
    let earlier = test_body(1_000, 5);
    store
        .media
        .put_stream(&key, None, MAX_SIZE, chunked(&earlier, &[100]))
        .await
        .unwrap();
    let stored_before = store.stored().await;

    // More than one part goes out before the body fails, so the store has parts to discard.
    let body = test_body(PART_SIZE + (1 << 20), 6);
    let failure = futures::stream::iter([Err(io::Error::new(
        io::ErrorKind::ConnectionReset,
        "client went away",
    ))]);
    let failing_body = chunked(&body, &UNEVEN_CHUNKS).chain(failure);

    let error = store
        .media
        .put_stream(&key, None, MAX_SIZE, failing_body)
        .await
        .unwrap_err();

    assert_eq!(error, MediaError::UploadInterrupted);
    assert!(
        read_all(store.media.get(&key).await.unwrap()).await == earlier,
        "the earlier object was replaced"
    );
    assert_eq!(store.stored().await, stored_before);
}

async fn dropped_upload_is_aborted(store: TestStore) {
    let key = new_key(NORTHWIND);
    let body = test_body(PART_SIZE + 1_000, 7);
    let (sent_tx, sent_rx) = tokio::sync::oneshot::channel();
    let mut sent_tx = Some(sent_tx);

    // The body sends one part's worth and more, then never ends, like a client that stalls.
    let stalling_body = chunked(&body, &[1 << 20]).chain(futures::stream::poll_fn(move |_| {
        if let Some(sent) = sent_tx.take() {
            let _ = sent.send(());
        }
        std::task::Poll::<Option<Result<Bytes, io::Error>>>::Pending
    }));
    let upload = store.media.put_stream(&key, None, MAX_SIZE, stalling_body);

    tokio::select! {
        result = upload => panic!("the upload ended with {result:?} though its body never ended"),
        _ = sent_rx => {}
    }
    // `select!` dropped the upload future; its abort runs as a background task.
    let started = Instant::now();
    while !store.stored().await.is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "still stored after 10 s: {:?}",
            store.stored().await
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        store.media.head(&key).await.unwrap_err(),
        MediaError::NotFound
    );
}

async fn delete_then_read_is_not_found(store: TestStore) {
    let key = new_key(NORTHWIND);
    store
        .media
        .put_stream(&key, None, MAX_SIZE, chunked(b"take-home.zip", &[4]))
        .await
        .unwrap();

    store.media.delete(&key).await.unwrap();

    assert_eq!(
        store.media.get(&key).await.unwrap_err(),
        MediaError::NotFound
    );
    assert_eq!(
        store.media.head(&key).await.unwrap_err(),
        MediaError::NotFound
    );
    assert_eq!(store.media.delete(&key).await, Ok(()), "deleting again");
    assert_eq!(store.stored().await, Vec::<String>::new());
}

async fn invalid_key_parts_are_rejected(store: TestStore) {
    let attempts = [
        MediaKey::new(
            NORTHWIND,
            MediaKind::TakeHome,
            &format!("../../{GLOBEX}/take-home/x"),
        ),
        MediaKey::new(NORTHWIND, MediaKind::TakeHome, "a/b"),
        MediaKey::new(NORTHWIND, MediaKind::TakeHome, ""),
        MediaKey::new("..", MediaKind::TakeHome, "x"),
        MediaKey::new(&format!("{NORTHWIND}/take-home"), MediaKind::TakeHome, "x"),
        MediaKey::new(NORTHWIND, MediaKind::TakeHome, "answer?.webm"),
    ];

    for attempt in attempts {
        assert!(
            matches!(attempt, Err(MediaError::InvalidKey { .. })),
            "accepted: {attempt:?}"
        );
    }
    assert_eq!(store.stored().await, Vec::<String>::new());
}

async fn invalid_content_type_stores_nothing(store: TestStore) {
    let key = new_key(NORTHWIND);

    for content_type in ["", "video/webm\r\nX-Injected: 1", "vidéo/webm"] {
        let error = store
            .media
            .put_stream(&key, Some(content_type), MAX_SIZE, chunked(b"x", &[1]))
            .await
            .unwrap_err();
        assert_eq!(error, MediaError::InvalidContentType, "{content_type:?}");
    }
    assert_eq!(store.stored().await, Vec::<String>::new());
}

async fn organizations_are_isolated(store: TestStore) {
    let name = uuid::Uuid::new_v4().to_string();
    let northwind_key = MediaKey::new(NORTHWIND, MediaKind::CultureVideo, &name).unwrap();
    let globex_key = MediaKey::new(GLOBEX, MediaKind::CultureVideo, &name).unwrap();
    let body = test_body(10_000, 8);
    store
        .media
        .put_stream(&northwind_key, None, MAX_SIZE, chunked(&body, &[999]))
        .await
        .unwrap();

    assert_eq!(
        store.media.get(&globex_key).await.unwrap_err(),
        MediaError::NotFound
    );
    assert_eq!(
        store.media.head(&globex_key).await.unwrap_err(),
        MediaError::NotFound
    );
    assert_eq!(
        store
            .media
            .get_range(&globex_key, GetRange::Offset(0))
            .await
            .unwrap_err(),
        MediaError::NotFound
    );
    store.media.delete(&globex_key).await.unwrap();

    assert!(
        read_all(store.media.get(&northwind_key).await.unwrap()).await == body,
        "northwind's object changed"
    );
    let stored = store.stored().await;
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert!(
        stored[0].contains(&format!("org/{NORTHWIND}/culture-videos/{name}")),
        "{stored:?}"
    );
}
