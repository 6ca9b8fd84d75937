//! Media store settings, read from TRYOUT_MEDIA_URL and the standard AWS_* variables:
//! unset for a directory in the data directory, `file:///absolute/path` for another
//! directory, `s3://bucket/optional/prefix` for S3 or an S3-compatible server.

use std::fmt;
use std::path::{Path, PathBuf};

use secrecy::SecretString;
use url::Url;

use super::ConfigError;
use crate::cli::MediaArgs;

/// Region used when AWS_REGION is unset; the AWS SDKs' own fallback.
const DEFAULT_REGION: &str = "us-east-1";

/// Location of stored media: a local directory or an S3 bucket.
#[derive(Debug, Clone)]
pub enum MediaConfig {
    /// A directory on this machine; configuration created it.
    LocalDirectory(PathBuf),
    S3(S3Config),
}

/// A bucket on Amazon S3 or an S3-compatible server.
#[derive(Debug, Clone)]
pub struct S3Config {
    pub bucket: String,
    /// Folder in the bucket under which every key is stored, without slashes at either end.
    pub prefix: Option<String>,
    /// `None` for Amazon S3 itself.
    pub endpoint: Option<Url>,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: SecretString,
}

impl S3Config {
    /// Plain HTTP is allowed only towards an endpoint configured with http://, such as a
    /// MinIO or moto server on the same machine.
    pub fn allow_http(&self) -> bool {
        self.endpoint
            .as_ref()
            .is_some_and(|endpoint| endpoint.scheme() == "http")
    }
}

/// Describes the store for logs and errors, without credentials.
impl fmt::Display for MediaConfig {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::LocalDirectory(directory) => {
                write!(formatter, "directory {}", directory.display())
            }
            Self::S3(s3) => {
                write!(
                    formatter,
                    "s3://{}/{}",
                    s3.bucket,
                    s3.prefix.as_deref().unwrap_or_default()
                )?;
                match &s3.endpoint {
                    Some(endpoint) => write!(formatter, " at {endpoint}"),
                    None => write!(formatter, " in region {}", s3.region),
                }
            }
        }
    }
}

impl MediaConfig {
    /// Reads the media settings. A local directory is created if missing.
    pub fn from_args(args: &MediaArgs, data_dir: &Path) -> Result<Self, ConfigError> {
        let Some(value) = args.media_url.as_deref() else {
            return Self::default_directory(data_dir);
        };

        let url =
            Url::parse(value).map_err(|error| invalid_url(value, &parse_error_reason(error)))?;
        match url.scheme() {
            "file" => local_directory(value, &url),
            "s3" => Ok(Self::S3(s3_config(value, &url, args)?)),
            other => Err(invalid_url(
                value,
                &format!("the scheme {other}: is not supported"),
            )),
        }
    }

    /// Creates the directory media/ in the data directory if missing and returns it as the
    /// store. This is the default, and what `tryout demo` uses.
    pub fn default_directory(data_dir: &Path) -> Result<Self, ConfigError> {
        let directory = data_dir.join("media");
        create_directory(&directory)?;
        Ok(Self::LocalDirectory(directory))
    }
}

fn local_directory(value: &str, url: &Url) -> Result<MediaConfig, ConfigError> {
    if url.host_str().is_some_and(|host| !host.is_empty()) {
        return Err(invalid_url(
            value,
            "a file:// URL must name a directory on this machine, with no host",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid_url(
            value,
            "a file:// URL takes no query or fragment",
        ));
    }
    let directory = url
        .to_file_path()
        .map_err(|()| invalid_url(value, "the path is not an absolute path"))?;

    create_directory(&directory)?;
    Ok(MediaConfig::LocalDirectory(directory))
}

fn create_directory(directory: &Path) -> Result<(), ConfigError> {
    std::fs::create_dir_all(directory)
        .map_err(|error| ConfigError::MediaDirectory(directory.to_path_buf(), error))
}

fn s3_config(value: &str, url: &Url, args: &MediaArgs) -> Result<S3Config, ConfigError> {
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid_url(
            "s3://…",
            "credentials do not belong in the URL; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
        ));
    }
    if url.port().is_some() {
        return Err(invalid_url(
            value,
            "an s3:// URL takes no port; put the server's address in AWS_ENDPOINT_URL",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid_url(
            value,
            "an s3:// URL takes no query or fragment",
        ));
    }

    let bucket = url.host_str().unwrap_or_default();
    if !is_bucket_name(bucket) {
        return Err(invalid_url(
            value,
            "the bucket name must be 3 to 63 lowercase letters, digits, '.' or '-', starting and ending with a letter or digit",
        ));
    }

    let prefix = url.path().trim_matches('/');
    if !prefix.is_empty() && !prefix.split('/').all(is_prefix_segment) {
        return Err(invalid_url(
            value,
            "each folder of the prefix must be ASCII letters, digits, '-', '_' or '.', and neither '.' nor '..'",
        ));
    }

    Ok(S3Config {
        bucket: bucket.to_owned(),
        prefix: (!prefix.is_empty()).then(|| prefix.to_owned()),
        endpoint: args.aws_endpoint_url.as_deref().map(endpoint).transpose()?,
        region: region(args.aws_region.as_deref())?,
        access_key_id: args
            .aws_access_key_id
            .clone()
            .ok_or(ConfigError::MissingS3Credential("AWS_ACCESS_KEY_ID"))?,
        secret_access_key: args
            .aws_secret_access_key
            .clone()
            .map(SecretString::from)
            .ok_or(ConfigError::MissingS3Credential("AWS_SECRET_ACCESS_KEY"))?,
    })
}

fn endpoint(value: &str) -> Result<Url, ConfigError> {
    let invalid =
        |reason: &str| ConfigError::InvalidS3Endpoint(value.to_owned(), reason.to_owned());

    let url = Url::parse(value).map_err(|error| invalid(&parse_error_reason(error)))?;
    if !url.username().is_empty() || url.password().is_some() {
        let redacted_value = format!("{}://…", url.scheme());
        return Err(ConfigError::InvalidS3Endpoint(
            redacted_value,
            "credentials do not belong in the URL; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
                .into(),
        ));
    }
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if url.host_str().is_none() {
        return Err(invalid("it names no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("it takes no query or fragment"));
    }
    Ok(url)
}

fn region(value: Option<&str>) -> Result<String, ConfigError> {
    match value {
        None => Ok(DEFAULT_REGION.to_owned()),
        Some(region)
            if !region.is_empty()
                && region
                    .bytes()
                    .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-') =>
        {
            Ok(region.to_owned())
        }
        Some(region) => Err(ConfigError::InvalidAwsRegion(region.to_owned())),
    }
}

/// Checks the S3 bucket naming rules that matter in a URL: 3 to 63 characters of lowercase
/// letters, digits, '.' and '-', starting and ending with a letter or digit.
fn is_bucket_name(name: &str) -> bool {
    let allowed = name.bytes().all(|byte| {
        byte.is_ascii_lowercase() || byte.is_ascii_digit() || matches!(byte, b'.' | b'-')
    });
    let ends_are_alphanumeric = name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric());

    (3..=63).contains(&name.len()) && allowed && ends_are_alphanumeric
}

fn is_prefix_segment(segment: &str) -> bool {
    let allowed = segment
        .bytes()
        .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.'));
    !segment.is_empty() && segment != "." && segment != ".." && allowed
}

fn parse_error_reason(error: url::ParseError) -> String {
    match error {
        url::ParseError::RelativeUrlWithoutBase => "it has no scheme".to_owned(),
        other => other.to_string(),
    }
}

fn invalid_url(value: &str, reason: &str) -> ConfigError {
    ConfigError::InvalidMediaUrl(value.to_owned(), reason.to_owned())
}

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret;

    use super::*;

    fn args(media_url: Option<&str>) -> MediaArgs {
        MediaArgs {
            media_url: media_url.map(str::to_owned),
            aws_endpoint_url: None,
            aws_region: None,
            aws_access_key_id: Some("AKIDEXAMPLE".into()),
            aws_secret_access_key: Some("example-secret".into()),
            max_culture_video_mib: crate::config::DEFAULT_CULTURE_VIDEO_MAX_MIB,
        }
    }

    fn s3(args: &MediaArgs) -> S3Config {
        match MediaConfig::from_args(args, Path::new("/nonexistent")).unwrap() {
            MediaConfig::S3(s3) => s3,
            other => panic!("expected S3, got {other:?}"),
        }
    }

    fn rejection(args: &MediaArgs) -> String {
        MediaConfig::from_args(args, Path::new("/nonexistent"))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn unset_url_creates_media_in_data_directory() {
        let data = tempfile::tempdir().unwrap();

        let config = MediaConfig::from_args(&args(None), data.path()).unwrap();

        let MediaConfig::LocalDirectory(directory) = config else {
            panic!("expected a local directory")
        };
        assert_eq!(directory, data.path().join("media"));
        assert!(directory.is_dir());
    }

    #[test]
    fn file_url_creates_that_directory() {
        let data = tempfile::tempdir().unwrap();
        let expected_directory = data.path().join("elsewhere/media");
        let url = Url::from_directory_path(&expected_directory).unwrap();

        let config =
            MediaConfig::from_args(&args(Some(url.as_str())), Path::new("/nonexistent")).unwrap();

        let MediaConfig::LocalDirectory(directory) = config else {
            panic!("expected a local directory")
        };
        assert_eq!(directory, expected_directory);
        assert!(expected_directory.is_dir());
    }

    #[test]
    fn s3_url_with_prefix_and_endpoint() {
        let mut args = args(Some("s3://tryout-media/prod/eu/"));
        args.aws_endpoint_url = Some("http://127.0.0.1:9000".into());
        args.aws_region = Some("eu-central-1".into());

        let s3 = s3(&args);

        assert_eq!(s3.bucket, "tryout-media");
        assert_eq!(s3.prefix.as_deref(), Some("prod/eu"));
        assert_eq!(
            s3.endpoint.as_ref().map(Url::as_str),
            Some("http://127.0.0.1:9000/")
        );
        assert_eq!(s3.region, "eu-central-1");
        assert_eq!(s3.access_key_id, "AKIDEXAMPLE");
        assert_eq!(s3.secret_access_key.expose_secret(), "example-secret");
        assert!(s3.allow_http());
    }

    #[test]
    fn s3_url_without_prefix_uses_amazon_defaults() {
        let s3 = s3(&args(Some("s3://tryout-media")));

        assert_eq!(s3.prefix, None);
        assert_eq!(s3.endpoint, None);
        assert_eq!(s3.region, DEFAULT_REGION);
        assert!(!s3.allow_http());
    }

    #[test]
    fn https_endpoint_keeps_http_off() {
        let mut args = args(Some("s3://tryout-media"));
        args.aws_endpoint_url = Some("https://minio.example.com".into());

        assert!(!s3(&args).allow_http());
    }

    #[test]
    fn description_names_no_secret() {
        let mut args = args(Some("s3://tryout-media/prod"));
        args.aws_endpoint_url = Some("http://127.0.0.1:9000".into());
        let config = MediaConfig::S3(s3(&args));

        let description = config.to_string();
        let debug = format!("{config:?}");

        assert_eq!(
            description,
            "s3://tryout-media/prod at http://127.0.0.1:9000/"
        );
        assert!(!debug.contains("example-secret"), "{debug}");
    }

    #[test]
    fn bad_media_urls_are_rejected() {
        let cases = [
            ("/var/lib/tryout/media", "it has no scheme"),
            ("media", "it has no scheme"),
            (
                "ftp://example.com/media",
                "the scheme ftp: is not supported",
            ),
            ("gs://tryout-media", "the scheme gs: is not supported"),
            ("file://fileserver/media", "no host"),
            ("file:///srv/media?x=1", "no query or fragment"),
            ("s3://", "bucket name"),
            ("s3://ab", "bucket name"),
            ("s3://Tryout-Media", "bucket name"),
            ("s3://tryout_media", "bucket name"),
            ("s3://-tryout", "bucket name"),
            ("s3://tryout-media:9000/prefix", "no port"),
            ("s3://tryout-media/a//b", "each folder of the prefix"),
            ("s3://tryout-media/a b", "each folder of the prefix"),
            ("s3://tryout-media?region=eu", "no query or fragment"),
        ];

        for (value, reason) in cases {
            let message = rejection(&args(Some(value)));
            assert!(
                message.starts_with("TRYOUT_MEDIA_URL"),
                "{value:?}: {message}"
            );
            assert!(message.contains(reason), "{value:?}: {message}");
        }
    }

    #[test]
    fn credentials_in_s3_url_are_rejected_without_echo() {
        let message = rejection(&args(Some("s3://AKID:hunter2@tryout-media/prefix")));

        assert!(
            message.contains("credentials do not belong in the URL"),
            "{message}"
        );
        assert!(!message.contains("hunter2"), "{message}");
    }

    #[test]
    fn missing_s3_credentials_are_named() {
        let mut without_id = args(Some("s3://tryout-media"));
        without_id.aws_access_key_id = None;
        let mut without_secret = args(Some("s3://tryout-media"));
        without_secret.aws_secret_access_key = None;

        assert!(rejection(&without_id).contains("AWS_ACCESS_KEY_ID is missing"));
        assert!(rejection(&without_secret).contains("AWS_SECRET_ACCESS_KEY is missing"));
    }

    #[test]
    fn bad_endpoints_and_regions_are_rejected() {
        let endpoints = [
            ("127.0.0.1:9000", "it has no scheme"),
            ("minio:9000", "the scheme must be http or https"),
            ("ftp://127.0.0.1:9000", "http or https"),
            ("http://127.0.0.1:9000/?x=1", "no query or fragment"),
            (
                "http://user:hunter2@127.0.0.1:9000",
                "credentials do not belong in the URL",
            ),
        ];
        for (endpoint, reason) in endpoints {
            let mut args = args(Some("s3://tryout-media"));
            args.aws_endpoint_url = Some(endpoint.into());
            let message = rejection(&args);
            assert!(
                message.starts_with("AWS_ENDPOINT_URL"),
                "{endpoint:?}: {message}"
            );
            assert!(message.contains(reason), "{endpoint:?}: {message}");
            assert!(!message.contains("hunter2"), "{endpoint:?}: {message}");
        }

        for region in ["", "eu central", "eu/central"] {
            let mut args = args(Some("s3://tryout-media"));
            args.aws_region = Some(region.into());
            let message = rejection(&args);
            assert!(message.starts_with("AWS_REGION"), "{region:?}: {message}");
        }
    }

    #[test]
    fn s3_settings_are_ignored_for_a_directory() {
        let data = tempfile::tempdir().unwrap();
        let mut args = args(None);
        args.aws_endpoint_url = Some("not a url".into());
        args.aws_access_key_id = None;

        assert!(matches!(
            MediaConfig::from_args(&args, data.path()),
            Ok(MediaConfig::LocalDirectory(_))
        ));
    }
}
