//! Offset pagination of Data API lists (Lever Data API docs, section
//! "Pagination"): the `next` token of one page is sent back as `offset`
//! until `hasNext` is false.

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde::de::DeserializeOwned;
use url::Url;

use super::transport::{decode_body, ApiRequest};
use super::LeverClient;
use crate::error::LeverError;
use crate::types::Page;

/// Characters of a `next` token that would break the query if sent raw.
/// `%` is not among them: Lever's sandbox sends tokens already
/// percent-encoded (`%5B1%2C...%5D`), and encoding `%` again would send a
/// different token.
const OFFSET_UNSAFE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'&')
    .add(b'+')
    .add(b'<')
    .add(b'>')
    .add(b'`');

/// Most pages followed for one list, a guard against a server that never
/// sets `hasNext` to false. At 100 items a page that is a million items.
const MAX_PAGES: usize = 10_000;

/// Appends `offset=<token>` to the query of `url` without re-encoding the
/// token's percent escapes.
pub(super) fn append_offset(url: &mut Url, token: &str) {
    let encoded = utf8_percent_encode(token, OFFSET_UNSAFE).to_string();

    let query = match url.query() {
        Some(existing) if !existing.is_empty() => format!("{existing}&offset={encoded}"),
        _ => format!("offset={encoded}"),
    };

    url.set_query(Some(&query));
}

impl LeverClient {
    /// Fetches one page of a list.
    pub(super) async fn fetch_page<T: DeserializeOwned>(
        &self,
        access_token: &str,
        request: ApiRequest<'_>,
    ) -> Result<Page<T>, LeverError> {
        let template = request.template;
        let body = self.send(access_token, request).await?;

        decode_body(template, &body)
    }

    /// Fetches every page of a list. `build` makes the request for one page;
    /// this function sets its offset.
    pub(super) async fn fetch_all<T, F>(
        &self,
        access_token: &str,
        build: F,
    ) -> Result<Vec<T>, LeverError>
    where
        T: DeserializeOwned,
        F: Fn() -> ApiRequest<'static>,
    {
        let mut items = Vec::new();
        let mut offset: Option<String> = None;

        for _ in 0..MAX_PAGES {
            let mut request: ApiRequest<'_> = build();
            let template = request.template;
            request.offset = offset.as_deref();

            let page: Page<T> = self.fetch_page(access_token, request).await?;
            items.extend(page.data);

            let next = match page.next {
                Some(next) if page.has_next && !next.is_empty() => next,
                _ => return Ok(items),
            };
            if offset.as_deref() == Some(next.as_str()) {
                return Err(LeverError::Decode(format!(
                    "{template}: Lever returned the same next-page token twice"
                )));
            }
            offset = Some(next);
        }

        Err(LeverError::Decode(format!(
            "list still had more pages after {MAX_PAGES} pages"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `next` token of a real sandbox `GET /opportunities` page.
    const SANDBOX_TOKEN: &str =
        "%5B1%2C1750233409740%2C%2248dd4e94-fea0-4f9a-be5f-95b1853cbbbe%22%5D";

    fn base() -> Url {
        Url::parse("https://api.lever.co/v1/opportunities?limit=50").unwrap()
    }

    #[test]
    fn encoded_token_sent_verbatim() {
        let mut url = base();

        append_offset(&mut url, SANDBOX_TOKEN);

        assert_eq!(
            url.query(),
            Some(&*format!("limit=50&offset={SANDBOX_TOKEN}"))
        );
    }

    #[test]
    fn encoded_token_decodes_to_json() {
        let mut url = base();

        append_offset(&mut url, SANDBOX_TOKEN);
        let offset = url
            .query_pairs()
            .find(|(name, _)| name == "offset")
            .map(|(_, value)| value.into_owned());

        assert_eq!(
            offset.as_deref(),
            Some(r#"[1,1750233409740,"48dd4e94-fea0-4f9a-be5f-95b1853cbbbe"]"#)
        );
    }

    #[test]
    fn documented_token_sent_verbatim() {
        let mut url = Url::parse("https://api.lever.co/v1/opportunities").unwrap();
        let token = "0.1414895548650.ce4bb7f4-bd18-4d0d-a0b8-b4ed8a5b0d9f";

        append_offset(&mut url, token);

        assert_eq!(url.query(), Some(&*format!("offset={token}")));
    }

    #[test]
    fn raw_token_escapes_only_unsafe_characters() {
        let mut url = Url::parse("https://api.lever.co/v1/opportunities").unwrap();
        let token = r#"[1,"a b&c+d"]"#;

        append_offset(&mut url, token);
        let offset = url
            .query_pairs()
            .find(|(name, _)| name == "offset")
            .map(|(_, value)| value.into_owned());

        assert_eq!(offset.as_deref(), Some(token));
    }
}
