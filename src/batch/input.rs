//! Batch inputs: a CSV file (one column per row) or a directory of .txt/.md/.html files.
//!
//! Both are read as a stream of [`Item`]s in a fixed order — CSV rows in file order, files in
//! sorted depth-first path order — so that row numbers, shards and `--resume` are
//! deterministic. Reading never fails on a bad row: a row that cannot be used becomes an item
//! whose work is [`Work::Fail`] with the reason. Only I/O errors on the input itself (the CSV
//! file cannot be read any more) stop the run.

use anyhow::{Context, bail};
use std::path::{Path, PathBuf};

/// File extensions read from a directory input.
pub const EXTENSIONS: &[&str] = &[
    "txt", "text", "md", "markdown", "mdown", "html", "htm", "xhtml",
];

/// One input row: a CSV record or a file.
#[derive(Debug)]
pub struct Item {
    /// 1-based data row (CSV: the header is not counted; directory: the file's position in
    /// sorted path order).
    pub row: u64,
    /// CSV only: the physical line on which the record starts (1-based, header is line 1).
    pub line: Option<u64>,
    /// The document id; `None` when the row is too broken to have one.
    pub id: Option<String>,
    /// Values of the carried columns, in [`Source::carried`] order (empty strings when unknown).
    pub carried: Vec<String>,
    pub work: Work,
}

#[derive(Debug)]
pub enum Work {
    /// Raw bytes of the text column.
    Text(Vec<u8>),
    /// A file to read (directory input); read by the worker, in parallel.
    File(PathBuf),
    /// The row cannot be analysed; the reason goes to errors.csv.
    Fail(String),
}

impl Item {
    /// The key that decides the row's shard: its id, or its row number when it has no id.
    pub fn shard_key(&self) -> String {
        match &self.id {
            Some(id) => id.clone(),
            None => format!("#row{}", self.row),
        }
    }
}

/// Column options for CSV input.
#[derive(Debug, Clone)]
pub struct CsvColumns {
    /// `None`: use the column named `id` if there is one, else the row number.
    pub id: Option<String>,
    pub text: String,
    pub author: String,
}

/// An opened input.
pub enum Source {
    Csv(CsvSource),
    Dir(DirSource),
}

impl Source {
    /// Opens INPUT: a directory, or a CSV file whose header is read now.
    pub fn open(
        input: &Path,
        columns: &CsvColumns,
        author_from_dir: bool,
        max_bytes: u64,
    ) -> anyhow::Result<Self> {
        let meta = std::fs::metadata(input)
            .with_context(|| format!("{}: cannot read", input.display()))?;
        if meta.is_dir() {
            Ok(Source::Dir(DirSource::new(input, author_from_dir)?))
        } else {
            Ok(Source::Csv(CsvSource::open(input, columns, max_bytes)?))
        }
    }

    /// Names of the columns carried into documents.csv after `id` and `row`.
    pub fn carried(&self) -> &[String] {
        match self {
            Source::Csv(c) => &c.carried_names,
            Source::Dir(d) => &d.carried,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Source::Csv(_) => "csv",
            Source::Dir(_) => "directory",
        }
    }

    /// The next item, `Ok(None)` at the end.
    pub fn next_item(&mut self) -> anyhow::Result<Option<Item>> {
        match self {
            Source::Csv(c) => c.next_item(),
            Source::Dir(d) => Ok(d.next_item()),
        }
    }

    /// Progress in the unit the source counts: bytes read for CSV, files for directories.
    pub fn progress(&self) -> u64 {
        match self {
            Source::Csv(c) => c.reader.position().byte(),
            Source::Dir(d) => d.row,
        }
    }

    /// Files skipped in a directory input (unsupported extension, hidden).
    pub fn ignored(&self) -> u64 {
        match self {
            Source::Csv(_) => 0,
            Source::Dir(d) => d.ignored,
        }
    }
}

/// A CSV input read record by record.
pub struct CsvSource {
    reader: csv::Reader<std::fs::File>,
    fields: usize,
    id_col: Option<usize>,
    text_col: usize,
    /// (input column index, output name).
    carried: Vec<usize>,
    carried_names: Vec<String>,
    max_bytes: u64,
    row: u64,
    record: csv::ByteRecord,
    pub bytes: u64,
}

impl CsvSource {
    fn open(path: &Path, columns: &CsvColumns, max_bytes: u64) -> anyhow::Result<Self> {
        let file = std::fs::File::open(path)
            .with_context(|| format!("{}: cannot open", path.display()))?;
        let bytes = file.metadata().map(|m| m.len()).unwrap_or(0);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(file);
        let mut header = csv::ByteRecord::new();
        if !reader
            .read_byte_record(&mut header)
            .with_context(|| format!("{}: cannot read the header", path.display()))?
        {
            bail!("{}: the CSV file is empty (no header row)", path.display());
        }
        let mut names = Vec::with_capacity(header.len());
        for (i, f) in header.iter().enumerate() {
            let f = if i == 0 {
                f.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(f)
            } else {
                f
            };
            let name = std::str::from_utf8(f).map_err(|_| {
                anyhow::anyhow!(
                    "{}: header column {} is not valid UTF-8",
                    path.display(),
                    i + 1
                )
            })?;
            names.push(name.trim().to_string());
        }
        let find = |want: &str| -> anyhow::Result<Option<usize>> {
            let hits: Vec<usize> = (0..names.len()).filter(|&i| names[i] == want).collect();
            match hits.as_slice() {
                [] => Ok(None),
                [i] => Ok(Some(*i)),
                _ => bail!(
                    "{}: column `{want}` appears {} times in the header",
                    path.display(),
                    hits.len()
                ),
            }
        };
        let listing = || names.join(", ");
        let text_col = find(&columns.text)?.ok_or_else(|| {
            anyhow::anyhow!(
                "{}: no `{}` column (columns: {}); name the text column with --text-column",
                path.display(),
                columns.text,
                listing()
            )
        })?;
        let id_col = match &columns.id {
            Some(name) => Some(find(name)?.ok_or_else(|| {
                anyhow::anyhow!(
                    "{}: no `{name}` column (columns: {}); name the id column with --id-column",
                    path.display(),
                    listing()
                )
            })?),
            None => find("id")?,
        };
        let author_col = find(&columns.author)?;
        let mut carried = Vec::new();
        let mut carried_names: Vec<String> = Vec::new();
        for (i, name) in names.iter().enumerate() {
            if Some(i) == id_col || i == text_col {
                continue;
            }
            // The author column is written as `author`, whatever it is called in the input.
            let mut out = if Some(i) == author_col {
                "author".to_string()
            } else if name.is_empty() {
                format!("column_{}", i + 1)
            } else {
                name.clone()
            };
            if Some(i) != author_col && (out == "author" && author_col.is_some()) {
                out = format!("input_{out}");
            }
            if super::output::is_reserved(&out) {
                out = format!("input_{out}");
            }
            while carried_names.contains(&out) {
                out.push_str("_2");
            }
            carried.push(i);
            carried_names.push(out);
        }
        Ok(Self {
            reader,
            fields: names.len(),
            id_col,
            text_col,
            carried,
            carried_names,
            max_bytes,
            row: 0,
            record: csv::ByteRecord::new(),
            bytes,
        })
    }

    fn next_item(&mut self) -> anyhow::Result<Option<Item>> {
        let start = self.reader.position().clone();
        let more = self
            .reader
            .read_byte_record(&mut self.record)
            .map_err(|e| {
                anyhow::anyhow!("reading the CSV input after line {}: {e}", start.line())
            })?;
        if !more {
            return Ok(None);
        }
        self.row += 1;
        let row = self.row;
        let line = self.record.position().map_or(start.line(), |p| p.line());
        let end_line = self.reader.position().line();
        let rec = &self.record;
        let fail = |id: Option<String>, carried: Vec<String>, why: String| Item {
            row,
            line: Some(line),
            id,
            carried,
            work: Work::Fail(why),
        };
        if rec.len() != self.fields {
            let mut why = format!(
                "malformed CSV row: expected {} fields, found {}",
                self.fields,
                rec.len()
            );
            if end_line > line + 1 {
                why.push_str(&format!(
                    " (the row runs from line {line} to line {}: check for an unbalanced quote)",
                    end_line - 1
                ));
            }
            return Ok(Some(fail(None, Vec::new(), why)));
        }
        let mut carried = Vec::with_capacity(self.carried.len());
        let mut bad_column = None;
        for (&i, name) in self.carried.iter().zip(&self.carried_names) {
            match std::str::from_utf8(&rec[i]) {
                Ok(v) => carried.push(v.to_string()),
                Err(e) => {
                    carried.push(String::from_utf8_lossy(&rec[i]).into_owned());
                    bad_column.get_or_insert((name.clone(), e.valid_up_to()));
                }
            }
        }
        let id = match self.id_col {
            None => row.to_string(),
            Some(c) => match std::str::from_utf8(&rec[c]) {
                Ok(v) if v.trim().is_empty() => {
                    return Ok(Some(fail(None, carried, "empty id".into())));
                }
                Ok(v) => v.trim().to_string(),
                Err(e) => {
                    return Ok(Some(fail(
                        None,
                        carried,
                        format!(
                            "id is not valid UTF-8 (byte offset {} in the field)",
                            e.valid_up_to()
                        ),
                    )));
                }
            },
        };
        if let Some((name, offset)) = bad_column {
            return Ok(Some(fail(
                Some(id),
                carried,
                format!("column `{name}` is not valid UTF-8 (byte offset {offset} in the field)"),
            )));
        }
        let text = &rec[self.text_col];
        if text.len() as u64 > self.max_bytes {
            return Ok(Some(fail(
                Some(id),
                carried,
                format!(
                    "oversized text: {} bytes, over --max-bytes {}",
                    text.len(),
                    self.max_bytes
                ),
            )));
        }
        Ok(Some(Item {
            row,
            line: Some(line),
            id: Some(id),
            carried,
            work: Work::Text(text.to_vec()),
        }))
    }
}

/// A directory walked depth-first in sorted order, without following directory symlinks.
pub struct DirSource {
    root: PathBuf,
    author_from_dir: bool,
    carried: Vec<String>,
    /// Sorted entries still to visit, one list per open directory.
    stack: Vec<std::vec::IntoIter<PathBuf>>,
    /// Directories that could not be listed, reported as rows.
    pending_errors: Vec<(PathBuf, String)>,
    row: u64,
    ignored: u64,
}

impl DirSource {
    fn new(root: &Path, author_from_dir: bool) -> anyhow::Result<Self> {
        let entries = list_dir(root).with_context(|| format!("{}: cannot list", root.display()))?;
        Ok(Self {
            root: root.to_path_buf(),
            author_from_dir,
            carried: if author_from_dir {
                vec!["author".to_string()]
            } else {
                Vec::new()
            },
            stack: vec![entries.into_iter()],
            pending_errors: Vec::new(),
            row: 0,
            ignored: 0,
        })
    }

    /// Counts the files a walk would yield (for the progress bar), without reading them.
    pub fn count(root: &Path) -> u64 {
        let mut n = 0;
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = list_dir(&dir) else {
                n += 1;
                continue;
            };
            for p in entries {
                match classify(&p) {
                    Entry::Dir => stack.push(p),
                    Entry::File => n += 1,
                    Entry::Skip => {}
                }
            }
        }
        n
    }

    fn rel_id(&self, path: &Path) -> (String, bool) {
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        let mut utf8 = true;
        let parts: Vec<String> = rel
            .components()
            .map(|c| {
                let s = c.as_os_str();
                s.to_str().map(str::to_string).unwrap_or_else(|| {
                    utf8 = false;
                    s.to_string_lossy().into_owned()
                })
            })
            .collect();
        (parts.join("/"), utf8)
    }

    fn author_of(&self, path: &Path) -> Vec<String> {
        if !self.author_from_dir {
            return Vec::new();
        }
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        let author = rel
            .parent()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        vec![author]
    }

    fn next_item(&mut self) -> Option<Item> {
        loop {
            if let Some((dir, why)) = self.pending_errors.pop() {
                self.row += 1;
                let (id, _) = self.rel_id(&dir);
                return Some(Item {
                    row: self.row,
                    line: None,
                    id: Some(format!("{id}/")),
                    carried: self.author_of(&dir.join("x")),
                    work: Work::Fail(format!("unreadable directory: {why}")),
                });
            }
            let top = self.stack.last_mut()?;
            let Some(path) = top.next() else {
                self.stack.pop();
                continue;
            };
            match classify(&path) {
                Entry::Skip => {
                    self.ignored += 1;
                    continue;
                }
                Entry::Dir => match list_dir(&path) {
                    Ok(entries) => self.stack.push(entries.into_iter()),
                    Err(e) => self.pending_errors.push((path, e.to_string())),
                },
                Entry::File => {
                    self.row += 1;
                    let (id, utf8) = self.rel_id(&path);
                    let carried = self.author_of(&path);
                    let work = if utf8 {
                        Work::File(path)
                    } else {
                        Work::Fail("file name is not valid UTF-8".into())
                    };
                    return Some(Item {
                        row: self.row,
                        line: None,
                        id: Some(id),
                        carried,
                        work,
                    });
                }
            }
        }
    }
}

enum Entry {
    Dir,
    File,
    Skip,
}

fn classify(path: &Path) -> Entry {
    let name = path.file_name().map(|n| n.to_string_lossy());
    if name.as_deref().is_none_or(|n| n.starts_with('.')) {
        return Entry::Skip;
    }
    // Directory symlinks are not followed (no cycles); file symlinks are.
    let Ok(lmeta) = std::fs::symlink_metadata(path) else {
        return Entry::File; // reported as unreadable when read
    };
    if lmeta.is_dir() {
        return Entry::Dir;
    }
    if lmeta.file_type().is_symlink() && std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
        return Entry::Skip;
    }
    let supported = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
    if supported { Entry::File } else { Entry::Skip }
}

/// What a non-regular file is, for its error row.
fn kind_of(t: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if t.is_fifo() {
        "a FIFO"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_block_device() || t.is_char_device() {
        "a device"
    } else if t.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    }
}

/// A directory's entries, sorted by name so the walk order does not depend on the file system.
fn list_dir(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut entries = Vec::new();
    for e in std::fs::read_dir(dir)? {
        entries.push(e?.path());
    }
    entries.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    Ok(entries)
}

/// Reads a file for a directory item, refusing it when over `max_bytes`.
pub fn read_file(path: &Path, max_bytes: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    // A FIFO would block the open (and the whole run) until a writer came; devices and sockets
    // are not texts either. Checked before opening, following a file symlink.
    let meta = std::fs::metadata(path).map_err(|e| format!("unreadable file: {e}"))?;
    if !meta.is_file() {
        return Err(format!(
            "not a regular file ({}): not read",
            kind_of(&meta.file_type())
        ));
    }
    let file = std::fs::File::open(path).map_err(|e| format!("unreadable file: {e}"))?;
    let len = file
        .metadata()
        .map_err(|e| format!("unreadable file: {e}"))?
        .len();
    if len > max_bytes {
        return Err(format!(
            "oversized file: {len} bytes, over --max-bytes {max_bytes}"
        ));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("unreadable file: {e}"))?;
    if bytes.len() as u64 > max_bytes {
        return Err(format!(
            "oversized file: over --max-bytes {max_bytes} bytes"
        ));
    }
    Ok(bytes)
}
