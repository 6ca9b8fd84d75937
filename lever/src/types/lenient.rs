//! Deserializers that accept the several shapes Lever uses for one value:
//! timestamps as numbers or strings, references as ids or expanded objects,
//! and `null` where a list or flag is expected.

use serde::{Deserialize, Deserializer};

/// A JSON number or a string, as Lever sends timestamps and scores.
#[derive(Deserialize)]
#[serde(untagged)]
enum NumberOrText {
    Integer(i64),
    Float(f64),
    Text(String),
}

/// A plain id, or an object that carries it (what `expand=` returns).
#[derive(Deserialize)]
#[serde(untagged)]
enum IdOrObject {
    Id(String),
    Object { id: String },
}

/// Any scalar that can be shown as text.
#[derive(Deserialize)]
#[serde(untagged)]
enum Scalar {
    Text(String),
    Integer(i64),
    Float(f64),
    Flag(bool),
}

/// Reads an optional timestamp in milliseconds since the Unix epoch, given
/// as a number, a numeric string, or `null`. An empty string reads as `None`.
pub fn timestamp<'de, D>(deserializer: D) -> Result<Option<i64>, D::Error>
where
    D: Deserializer<'de>,
{
    let Some(value) = Option::<NumberOrText>::deserialize(deserializer)? else {
        return Ok(None);
    };

    match value {
        NumberOrText::Integer(millis) => Ok(Some(millis)),
        // Timestamps are whole milliseconds, so dropping a fraction loses nothing real.
        NumberOrText::Float(millis) => Ok(Some(millis as i64)),
        NumberOrText::Text(text) if text.trim().is_empty() => Ok(None),
        NumberOrText::Text(text) => text.trim().parse::<i64>().map(Some).map_err(|_| {
            serde::de::Error::custom("timestamp string is not a whole number of milliseconds")
        }),
    }
}

/// Reads a timestamp that must be present, in the forms [`timestamp`]
/// accepts. `null` and an empty string are errors.
pub fn required_timestamp<'de, D>(deserializer: D) -> Result<i64, D::Error>
where
    D: Deserializer<'de>,
{
    timestamp(deserializer)?
        .ok_or_else(|| serde::de::Error::custom("timestamp is missing or empty"))
}

/// Reads an optional reference that is either an id or an expanded object
/// with an `id` field.
pub fn id_or_object<'de, D>(deserializer: D) -> Result<Option<String>, D::Error>
where
    D: Deserializer<'de>,
{
    let value = Option::<IdOrObject>::deserialize(deserializer)?;

    Ok(value.map(|reference| match reference {
        IdOrObject::Id(id) => id,
        IdOrObject::Object { id } => id,
    }))
}

/// Reads a list of references (ids or expanded objects); `null` reads as an
/// empty list.
pub fn ids_or_objects<'de, D>(deserializer: D) -> Result<Vec<String>, D::Error>
where
    D: Deserializer<'de>,
{
    let values = Option::<Vec<IdOrObject>>::deserialize(deserializer)?.unwrap_or_default();

    Ok(values
        .into_iter()
        .map(|reference| match reference {
            IdOrObject::Id(id) => id,
            IdOrObject::Object { id } => id,
        })
        .collect())
}

/// Reads a value whose `null` means the type's default (empty list, false).
pub fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// Reads an optional scalar as text, so a note field whose value is a number
/// or a flag still parses.
pub fn text<'de, D>(deserializer: D) -> Result<Option<String>, D::Error>
where
    D: Deserializer<'de>,
{
    let value = Option::<Scalar>::deserialize(deserializer)?;

    Ok(value.map(|scalar| match scalar {
        Scalar::Text(text) => text,
        Scalar::Integer(number) => number.to_string(),
        Scalar::Float(number) => number.to_string(),
        Scalar::Flag(flag) => flag.to_string(),
    }))
}

/// Reads an optional note score (Lever uses 1 to 4) from a number or a
/// numeric string. A value outside `u8` is an error rather than a wrong score.
pub fn score<'de, D>(deserializer: D) -> Result<Option<u8>, D::Error>
where
    D: Deserializer<'de>,
{
    let Some(value) = Option::<NumberOrText>::deserialize(deserializer)? else {
        return Ok(None);
    };

    let parsed = match value {
        NumberOrText::Integer(number) => u8::try_from(number).ok(),
        NumberOrText::Float(number) if number.fract() == 0.0 => u8::try_from(number as i64).ok(),
        NumberOrText::Float(_) => None,
        NumberOrText::Text(text) if text.trim().is_empty() => return Ok(None),
        NumberOrText::Text(text) => text.trim().parse::<u8>().ok(),
    };

    parsed
        .map(Some)
        .ok_or_else(|| serde::de::Error::custom("note score is not a whole number from 0 to 255"))
}
