"""Corpus readers for the rhetor sentence classifier.

Every reader returns plain Python records ``{"text", "label", ...}`` with string labels, and
splits each corpus into train / dev *deterministically* (by an md5 hash of a stable key, or by
the corpus' own test split), so the dev sets can be regenerated bit-for-bit on any machine
(``python make_dev.py``) without committing corpus text to the repository (licences).

Label vocabularies per head are the single source of truth: ``LABELS`` below is copied into
models/classifier/config.json by export.py, and the Rust side reads it from there.
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
import random
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import stance_templates

DATA = Path(os.environ.get("RHETOR_DATA", Path(__file__).resolve().parents[3] / "shared" / "data"))
if not DATA.exists():  # worktrees live beside shared/: /work/wt-x and /work/shared
    DATA = Path("/work/shared/data")

# Propaganda techniques exactly as named in SemEval-2020 task 11 (propaganda-techniques-names-semeval2020task11.txt).
TECHNIQUES = [
    "Appeal_to_Authority",
    "Appeal_to_fear-prejudice",
    "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration,Minimisation",
    "Flag-Waving",
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Slogans",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
]

LABELS = {
    "sentiment": ["negative", "neutral", "positive"],
    "uncertainty": ["certain", "uncertain"],
    "bias": ["neutral", "biased"],
    "technique": TECHNIQUES,  # multi-label, sigmoid per technique
    "stance": ["favor", "against", "none"],
}


def bucket(key: str, pct: int, salt: str = "rhetor-dev-v1") -> bool:
    """True for a stable ~pct% of keys: the dev split. md5 is stable across machines and Pythons
    (unlike hash())."""
    h = int(hashlib.md5((salt + "|" + key).encode("utf-8")).hexdigest(), 16)
    return h % 100 < pct


def norm_key(text: str) -> str:
    """Key for de-duplication across overlapping corpora (BABE SG1/SG2/MBIC)."""
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


# --- SST is lower-cased and PTB-tokenised ("does n't", "funny , and"). Real columns are not:
# undo the tokenisation so the model sees text like what rhetor will feed it.
_DETOK = [
    (re.compile(r"-lrb-|-LRB-"), "("),
    (re.compile(r"-rrb-|-RRB-"), ")"),
    (re.compile(r"\s+([,.;:!?%)])"), r"\1"),
    (re.compile(r"\(\s+"), "("),
    (re.compile(r"\s+(n't|'s|'re|'ve|'ll|'d|'m)\b"), r"\1"),
    (re.compile(r"``\s*|\s*''"), '"'),
    (re.compile(r"\s+"), " "),
]


def detok(s: str) -> str:
    for pat, rep in _DETOK:
        s = pat.sub(rep, s)
    s = s.strip()
    return s[:1].upper() + s[1:]


# ----------------------------------------------------------------------------------- sentiment
SST5_TO_3 = {0: "negative", 1: "negative", 2: "neutral", 3: "positive", 4: "positive"}


def read_sst5(split: str):
    out = []
    with open(DATA / "sst5-fine" / f"stsa.fine.{split}.txt", encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            lab, text = line.split(" ", 1)
            out.append({"text": detok(text), "fine": int(lab), "label": SST5_TO_3[int(lab)]})
    return out


def read_sst2(min_words: int = 6):
    """GLUE SST-2 train: sentences *and* their sub-phrases. Keep rows of >= min_words words so
    the head learns from sentence-like text, not fragments. Labels are binary; the trainer only
    puts loss on the negative/positive logits for these rows (``binary`` flag)."""
    out = []
    with open(DATA / "sst2" / "train.tsv", encoding="utf-8") as f:
        next(f)
        for line in f:
            text, lab = line.rstrip("\n").rsplit("\t", 1)
            if len(text.split()) < min_words:
                continue
            out.append({"text": detok(text), "label": "positive" if lab == "1" else "negative", "binary": True})
    return out


def read_tweeteval():
    """TweetEval sentiment ships val + test only; we use both, with our own hash split."""
    out = []
    d = DATA / "tweeteval-sentiment-semeval2017-4a"
    names = ["negative", "neutral", "positive"]
    for split in ("val", "test"):
        texts = open(d / f"{split}_text.txt", encoding="utf-8").read().split("\n")
        labs = open(d / f"{split}_labels.txt", encoding="utf-8").read().split("\n")
        for t, l in zip(texts, labs):
            if t.strip() and l.strip():
                out.append({"text": t.strip(), "label": names[int(l)]})
    return out


def sentiment(sst2_min_words: int = 6):
    sst5_train = read_sst5("train")
    sst5_test = read_sst5("test")
    sst2 = read_sst2(sst2_min_words)
    # SST-2 (GLUE) train is built from SST's train split, so SST-5 *test* is a clean dev set.
    test_keys = {norm_key(x["text"]) for x in sst5_test}
    sst2 = [x for x in sst2 if norm_key(x["text"]) not in test_keys]
    tw = read_tweeteval()
    tw_train = [x for x in tw if not bucket(x["text"], 10)]
    tw_dev = [x for x in tw if bucket(x["text"], 10)]
    train = {"sst2": sst2, "sst5": sst5_train, "tweeteval": tw_train}
    dev = {
        # SST-2-style polarity: SST-5 test without the neutral class (the standard binarisation).
        "sst_binary": [{"text": x["text"], "label": x["label"]} for x in sst5_test if x["fine"] != 2],
        "sst_3class": [{"text": x["text"], "label": x["label"]} for x in sst5_test],
        "tweeteval": tw_dev,
    }
    return train, dev


# --------------------------------------------------------------------------------- uncertainty
def read_szeged_json(name: str):
    data = json.load(open(DATA / "uncertainty-szeged" / "new" / f"{name}.cleaned.json", encoding="utf-8"))
    out = []
    for x in data:
        t = " ".join(x["text"].split())
        # Wikipedia article titles ("Tim Witherspoon") are not sentences: drop very short rows.
        if len(t.split()) < 4:
            continue
        out.append({"text": t, "label": "uncertain" if x["ccue"] else "certain"})
    return out


def read_szeged_bio():
    """The biomedical part has no cleaned json: read the XML; a sentence is uncertain iff it
    contains a <ccue>."""
    out = []
    for name in ("bio_bmc", "bio_fly", "bio_hbc"):
        root = ET.parse(DATA / "uncertainty-szeged" / "old" / f"{name}.xml").getroot()
        for s in root.iter("Sentence"):
            t = " ".join("".join(s.itertext()).split())
            if len(t.split()) < 4:
                continue
            out.append({"text": t, "label": "uncertain" if s.find(".//ccue") is not None else "certain"})
    return out


def balance(rows, seed: int, ratio: float = 1.0):
    """Down-sample the majority class to ratio x the minority (seeded, deterministic)."""
    by = {}
    for r in rows:
        by.setdefault(r["label"], []).append(r)
    n = min(len(v) for v in by.values())
    rng = random.Random(seed)
    out = []
    for lab in sorted(by):
        v = sorted(by[lab], key=lambda r: r["text"])
        rng.shuffle(v)
        out += v[: int(n * ratio)] if len(v) > n else v
    rng.shuffle(out)
    return out


def uncertainty():
    wiki = read_szeged_json("wiki")
    fb = read_szeged_json("factbank")
    bio = read_szeged_bio()
    train, dev = {}, {}
    for name, rows in (("wiki", wiki), ("factbank", fb), ("bio", bio)):
        tr = [x for x in rows if not bucket(x["text"], 15)]
        dv = [x for x in rows if bucket(x["text"], 15)]
        # Training: all uncertain + as many certain sentences (x1.5 for Wikipedia/news so the
        # head still sees the ordinary, cue-free prose that dominates columns).
        train[name] = balance(tr, seed=1, ratio=1.0 if name == "bio" else 1.5)
        dev[name] = balance(dv, seed=2)  # balanced dev: accuracy is meaningful
    return train, dev


# ---------------------------------------------------------------------------------------- bias
def read_babe(name: str, delim: str):
    out = []
    with open(DATA / "babe" / f"final_labels_{name}.train.csv", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f, delimiter=delim):
            lab = r.get("label_bias")
            if lab not in ("Biased", "Non-biased"):
                continue  # "No agreement"
            out.append({"text": " ".join(r["text"].split()), "label": "biased" if lab == "Biased" else "neutral"})
    return out


def read_wikinpov():
    """MBIB Wikipedia NPOV statements (1 biased / 0 neutral). Punctuation was stripped by MBIB, so
    this is a different surface than news text; we keep it as auxiliary data, balanced."""
    out = []
    with open(DATA / "mbib" / "003_WikiNPOV" / "003-NPOV.csv", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            t = " ".join(r["text"].split())
            if len(t.split()) < 4:
                continue
            out.append({"text": t, "label": "biased" if r["label"] == "1" else "neutral"})
    return out


def bias():
    sg2 = read_babe("SG2", ";")
    dev_babe = [x for x in sg2 if bucket(x["text"], 15)]
    train_babe = [x for x in sg2 if not bucket(x["text"], 15)]
    # SG1 and MBIC overlap SG2: keep only sentences not in SG2 at all, so nothing leaks into dev.
    sg2_keys = {norm_key(x["text"]) for x in sg2}
    extra, seen = [], set()
    for x in read_babe("SG1", ";") + read_babe("MBIC", ","):
        k = norm_key(x["text"])
        if k in sg2_keys or k in seen:
            continue
        seen.add(k)
        extra.append(x)
    extra_train = [x for x in extra if not bucket(x["text"], 15)]
    npov = read_wikinpov()
    npov_tr = balance([x for x in npov if not bucket(x["text"], 10)], seed=3)
    npov_dv = balance([x for x in npov if bucket(x["text"], 10)], seed=4)
    # BASIL (all biased) and Lim et al. (95% biased) are left out: one-class, punctuation-stripped
    # data would teach "no punctuation => biased" rather than bias.
    train = {"babe": train_babe, "babe_sg1_mbic": extra_train, "wikinpov": npov_tr}
    dev = {"babe": dev_babe, "wikinpov": npov_dv}
    return train, dev


# ----------------------------------------------------------------------------------- technique
def read_ptc():
    """SemEval-2020 task 11 (PTC). Articles are one sentence per line; technique spans are char
    offsets into the whole file. A line gets a technique iff some span of it overlaps the line."""
    d = DATA / "semeval2020-task11-propaganda"
    arts = []
    for p in sorted((d / "train-articles").glob("article*.txt")):
        aid = p.stem.replace("article", "")
        text = p.read_bytes().decode("utf-8")  # bytes->str without newline translation: offsets hold
        spans = []
        lab = d / "train-labels-task2-technique-classification" / f"article{aid}.task2-TC.labels.tsv"
        if lab.exists():
            for line in lab.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    _, tech, s, e = line.split("\t")
                    spans.append((tech, int(s), int(e)))
        rows, pos = [], 0
        for line in text.split("\n"):
            start, end = pos, pos + len(line)
            pos = end + 1
            t = " ".join(line.split())
            if not t:
                continue
            techs = sorted({tech for tech, s, e in spans if s < end and e > start})
            rows.append({"text": t, "label": techs})
        arts.append((aid, rows))
    return arts


def technique():
    arts = read_ptc()
    train = [r for aid, rows in arts if not bucket(aid, 12) for r in rows]
    dev = [r for aid, rows in arts if bucket(aid, 12) for r in rows]
    return {"ptc": train}, {"ptc": dev}


# -------------------------------------------------------------------------------------- stance
def read_stance():
    out = []
    for name in ("trainingdata-all-annotations.txt", "trialdata-all-annotations.txt"):
        raw = (DATA / "semeval2016-stance" / name).read_bytes().decode("latin-1")  # a few latin-1 rows
        for i, line in enumerate(raw.splitlines()):
            if i == 0 or not line.strip():
                continue
            parts = line.split("\t")
            tweet = " ".join(parts[2].replace("#SemST", "").split())
            out.append({"text": tweet, "target": parts[1], "label": parts[3].lower()})
    return out


def read_t_format(path: Path):
    """Dong 2014 / SemEval-2014 ABSA `$T$` files: sentence (target replaced by $T$), target,
    polarity -1/0/1, three lines per row. Target sentiment stands in for stance: positive -> favor,
    negative -> against, neutral -> none."""
    lines = path.read_text(encoding="utf-8").splitlines()
    label = {"1": "favor", "-1": "against", "0": "none"}
    rows = []
    for i in range(0, len(lines) - 2, 3):
        text, target, pol = lines[i], lines[i + 1].strip(), lines[i + 2].strip()
        if pol in label:
            rows.append({"text": " ".join(text.split()), "target": target, "label": label[pol]})
    return rows


def fill(rows, names=None, seed: int = 0, share: float = 0.0):
    """Put the target back into `$T$`. With `names`, a seeded `share` of rows get a different name
    from the pool in both the sentence and the pair: columns name targets that no training corpus
    has seen, so the head must judge what is said of the named thing, not who it is."""
    rng = random.Random(seed)
    out = []
    for r in rows:
        target = r["target"]
        if names and rng.random() < share:
            target = rng.choice(names)
        out.append({"text": detok(r["text"].replace("$T$", target)), "target": target, "label": r["label"]})
    return out


# Name pool for the swap above: real states from rhetor's gazetteer plus invented people and
# bodies (none of them used in reports/stance/probe.csv, which stays an unseen check).
_PEOPLE_FIRST = ["Maria", "Ahmed", "John", "Li", "Olga", "Carlos", "Fatima", "Peter", "Aisha", "Kenji",
                 "Sarah", "Imran", "Elena", "David", "Nadia", "Victor"]
_PEOPLE_LAST = ["Okafor", "Brennan", "Haddad", "Novak", "Tanaka", "Reyes", "Kowalski", "Mensah",
                "Lindqvist", "Farouk", "Castillo", "Petrov", "Whitfield", "Nakamura"]
_BODIES = ["the Finance Ministry", "the Senate", "the Supreme Court", "the central bank", "NATO",
           "the United Nations", "the World Bank", "the European Union", "the Labour Party",
           "the police", "the army", "the ruling coalition", "the opposition", "Parliament",
           "the IMF", "the Pentagon", "the CIA", "Hamas", "the Taliban", "the governor"]


def name_pool():
    places = Path(__file__).resolve().parents[1] / "targets" / "places.tsv"
    states = [ln.split("\t")[0] for ln in places.read_text(encoding="utf-8").splitlines()
              if ln.strip() and not ln.startswith("#")]
    people = [f"{a} {b}" for a in _PEOPLE_FIRST for b in _PEOPLE_LAST]
    return sorted(set(states)) + people + _BODIES


def paired(rows, n: int, seed: int):
    """Two target-dependent rows side by side, each pair giving two rows: (both texts, target of
    the first) with the first's label and (both texts, target of the second) with the second's.
    Column sentences praise one party and condemn another ("Norland's police arrested the
    bombers"); single-target rows let a head answer with the sentence's overall tone, these
    make it find what is said of *its* target. Targets must not appear in the other text."""
    rng = random.Random(seed)
    out = []
    while len(out) < 2 * n:
        a, b = rng.sample(rows, 2)
        if a["target"].lower() in b["text"].lower() or b["target"].lower() in a["text"].lower():
            continue
        text = f"{a['text']} {b['text']}" if rng.random() < 0.5 else f"{b['text']} {a['text']}"
        out.append({"text": text, "target": a["target"], "label": a["label"]})
        out.append({"text": text, "target": b["target"], "label": b["label"]})
    return out


def stance():
    """SemEval-2016 tweets (topic stance, target often implicit) plus target-dependent sentiment
    (Dong et al. 2014 tweets, SemEval-2014 aspect terms), where the target is named in the text as
    it is in columns. Dev: our SemEval split, and the official Dong / ABSA test sets."""
    rows = read_stance()
    dong = DATA / "twitter-target-dependent-dong2014"
    absa = DATA / "semeval2014-absa-seg"
    pool = name_pool()
    absa_train = [r for f in ("Restaurants_Train.xml.seg.txt", "Laptops_Train.xml.seg.txt")
                  for r in read_t_format(absa / f)]
    absa_test = [r for f in ("Restaurants_Test_Gold.xml.seg.txt", "Laptops_Test_Gold.xml.seg.txt")
                 for r in read_t_format(absa / f)]
    dong_train = fill(read_t_format(dong / "train.raw.txt"), pool, seed=5, share=0.5)
    absa_filled = fill(absa_train)
    train = {"semeval2016": [x for x in rows if not bucket(x["text"], 12)],
             "dong2014": dong_train,
             "absa2014": absa_filled,
             "paired": paired(dong_train + absa_filled, n=4000, seed=6),
             "templates": stance_templates.rows(3000, seed=21)}
    dev = {"semeval2016": [x for x in rows if bucket(x["text"], 12)],
           "dong2014": fill(read_t_format(dong / "test.raw.txt")),
           "absa2014": fill(absa_test)}
    return train, dev


def load_all(sst2_min_words: int = 6):
    """Every task's (train, dev). `sst2_min_words` only changes SST-2 *training* rows (stage 3
    keeps shorter sub-phrases); the dev sets are the same whatever it is."""
    return {"sentiment": sentiment(sst2_min_words), "uncertainty": uncertainty(), "bias": bias(),
            "technique": technique(), "stance": stance()}


if __name__ == "__main__":
    for task, (tr, dv) in load_all().items():
        for k, v in tr.items():
            print(f"{task:12s} train {k:14s} {len(v):6d}")
        for k, v in dv.items():
            print(f"{task:12s} dev   {k:14s} {len(v):6d}")
