//! Query-string access that keeps repeated parameters, which Lever uses to
//! OR filter values (`stage_id=a&stage_id=b`).

use super::api_error::ApiError;

/// The decoded query parameters of one request, in order.
pub(crate) struct QueryParams {
    pairs: Vec<(String, String)>,
}

impl QueryParams {
    pub fn parse(raw: Option<&str>) -> Self {
        let pairs = url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect();

        Self { pairs }
    }

    /// Returns the first value of `name`.
    pub fn first(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Returns every value of `name`, also in the `name[]` form.
    pub fn all(&self, name: &str) -> Vec<&str> {
        let bracketed = format!("{name}[]");

        self.pairs
            .iter()
            .filter(|(key, _)| key == name || *key == bracketed)
            .map(|(_, value)| value.as_str())
            .collect()
    }

    /// Parses a timestamp parameter in milliseconds, rejecting a value that
    /// is not an integer with 400.
    pub fn timestamp(&self, name: &str) -> Result<Option<i64>, ApiError> {
        let Some(value) = self.first(name) else {
            return Ok(None);
        };

        value.parse::<i64>().map(Some).map_err(|_| {
            ApiError::bad_request(format!(
                "{name} must be a timestamp in milliseconds, got {value:?}"
            ))
        })
    }

    /// Parses a `true`/`false` parameter, rejecting anything else with 400.
    pub fn flag(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.first(name) {
            None => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(other) => Err(ApiError::bad_request(format!(
                "{name} must be true or false, got {other:?}"
            ))),
        }
    }
}
