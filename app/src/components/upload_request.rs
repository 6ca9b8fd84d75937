//! Sends a file to one of Tryout's upload routes with `XMLHttpRequest`, because `fetch` does
//! not report how much of a request body has gone out, and the editor shows a progress bar.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::wasm_bindgen::closure::Closure;
use leptos::wasm_bindgen::JsValue;
use web_sys::{File, HtmlInputElement, ProgressEvent, XmlHttpRequest};

/// The outcome of an upload request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadEnd {
    /// The server responded; `body` is its response text.
    Answered { status: u16, body: String },
    /// The connection failed before a response arrived.
    Failed,
    /// The uploader cancelled it.
    Cancelled,
}

/// An upload in flight. Keep it until it ends: dropping it drops the handlers the browser
/// still calls.
pub struct Upload {
    request: XmlHttpRequest,
    _handlers: Vec<Closure<dyn FnMut(ProgressEvent)>>,
}

impl Upload {
    /// Stops sending, so the upload ends as [`UploadEnd::Cancelled`].
    pub fn cancel(&self) {
        let _ = self.request.abort();
    }
}

/// The handler called once when an upload ends, taken by whichever event comes first.
type EndHandler = Rc<RefCell<Option<Box<dyn FnOnce(UploadEnd)>>>>;

/// Posts `file` as the raw request body to `url`. `on_progress` gets the bytes sent and the
/// total as they go; `on_end` is called once, however the request ends.
pub fn post_file(
    url: &str,
    file: &File,
    on_progress: impl Fn(f64, f64) + 'static,
    on_end: impl FnOnce(UploadEnd) + 'static,
) -> Result<Upload, JsValue> {
    let request = XmlHttpRequest::new()?;
    request.open_with_async("POST", url, true)?;
    let content_type = Some(file.type_()).filter(|kind| !kind.is_empty());
    request.set_request_header(
        "Content-Type",
        content_type
            .as_deref()
            .unwrap_or("application/octet-stream"),
    )?;
    request.set_request_header("Accept", "application/json")?;

    let on_end: EndHandler = Rc::new(RefCell::new(Some(Box::new(on_end))));
    let finish = move |end: UploadEnd| {
        if let Some(on_end) = on_end.borrow_mut().take() {
            on_end(end);
        }
    };

    let progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |event: ProgressEvent| {
        if event.length_computable() {
            on_progress(event.loaded(), event.total());
        }
    });
    let answered = {
        let finish = finish.clone();
        let request = request.clone();
        Closure::<dyn FnMut(ProgressEvent)>::new(move |_: ProgressEvent| {
            finish(UploadEnd::Answered {
                status: request.status().unwrap_or(0),
                body: request.response_text().ok().flatten().unwrap_or_default(),
            });
        })
    };
    let failed = {
        let finish = finish.clone();
        Closure::<dyn FnMut(ProgressEvent)>::new(move |_: ProgressEvent| finish(UploadEnd::Failed))
    };
    let cancelled = Closure::<dyn FnMut(ProgressEvent)>::new(move |_: ProgressEvent| {
        finish(UploadEnd::Cancelled)
    });

    use leptos::wasm_bindgen::JsCast;
    request
        .upload()?
        .set_onprogress(Some(progress.as_ref().unchecked_ref()));
    request.set_onload(Some(answered.as_ref().unchecked_ref()));
    request.set_onerror(Some(failed.as_ref().unchecked_ref()));
    request.set_onabort(Some(cancelled.as_ref().unchecked_ref()));
    request.send_with_opt_blob(Some(file))?;

    Ok(Upload {
        request,
        _handlers: vec![progress, answered, failed, cancelled],
    })
}

/// Returns the file input a `change` event came from and the first file chosen in it.
pub fn chosen_file(event: &leptos::ev::Event) -> Option<(HtmlInputElement, File)> {
    use leptos::wasm_bindgen::JsCast;

    let input = event.target()?.dyn_into::<HtmlInputElement>().ok()?;
    let file = input.files()?.get(0)?;
    Some((input, file))
}

/// Percent-encodes a file name for the query string, as `encodeURIComponent` does.
pub fn encode_query(name: &str) -> String {
    let mut encoded = String::with_capacity(name.len());
    for byte in name.bytes() {
        match byte {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'_'
            | b'.'
            | b'!'
            | b'~'
            | b'*'
            | b'\''
            | b'('
            | b')' => encoded.push(byte as char),
            other => encoded.push_str(&format!("%{other:02X}")),
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::encode_query;

    #[test]
    fn file_names_are_encoded_for_the_query() {
        assert_eq!(encode_query("Meet the team.mp4"), "Meet%20the%20team.mp4");
        assert_eq!(encode_query("a&b=c#d.webm"), "a%26b%3Dc%23d.webm");
        assert_eq!(encode_query("café.mov"), "caf%C3%A9.mov");
    }
}
