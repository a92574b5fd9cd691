"""A stance model for news prose: all-MiniLM-L6-v2 fine-tuned on (sentence, target) pairs from
news, with the target's mentions marked in the sentence and pooled where they are.

    .cache/venv/bin/python models/train/stance_news.py --max-minutes 40      # train + export
    .cache/venv/bin/python models/train/stance_news.py --export-only         # re-export .cache/stance
    .cache/venv/bin/python models/train/stance_news.py --dev-csv             # dev CSVs for rhetor eval

Why a separate graph: the multi-head model's stance head read "a negative sentence near a name"
as "against that name" (NewsMTSC macro-F1 0.56). Stance already costs one encoder pass per
(sentence, target) pair, separate from the sentence pass, so a stance-only encoder adds no
passes; it adds its file (about 23 MB int8) and a second session at load.

Input (the runtime does the same, src/classify/stance.rs `mark`): every whole-word mention of the
target in the sentence is wrapped in « and » (any « or » already in the text becomes a plain
quote), and the pair is (marked sentence, mention text). The head reads the masked mean of the
sentence concatenated with the mean over the marked span (markers included); a row without a
mark (a tweet about an implicit topic) uses the sentence mean in both halves.

Data, all split by article (never by sentence) with md5 buckets:
- NewsMTSC train (Hamborg & Donnay 2021, MIT): sentiment toward a named person in news;
  positive -> favor, negative -> against, neutral -> none. Article = the first three parts of
  the gid; 15% of articles are dev.
- BASIL (Fan et al. 2019): phrase-level bias spans with a polarity toward a target entity, for
  sentences naming that entity (pos -> favor, neg -> against), plus sentences naming a main
  entity with no span about it (none). 15% of triplets are dev.
- SemEval-2016 task 6 tweets (the same 12% dev bucket as data.py), so topic stance stays.
- stance_templates.py column-style role rows (as in stage 5 of the multi-head recipe).
"""
from __future__ import annotations

import argparse
import csv
import glob
import json
import math
import random
import re
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
import data  # noqa: E402
import stance_templates  # noqa: E402
from common import CACHE, OUT, load_base, seed_everything  # noqa: E402

LABELS = ["favor", "against", "none"]
OPEN, CLOSE = "«", "»"
MAX_LENGTH = 128
SALT = "rhetor-news-v1"
CKPT = CACHE / "stance"
DEV_PCT = 15


# ---------------------------------------------------------------- marking (mirrors the Rust side)

def word_spans(text: str, needle: str):
    """Char spans of whole-word, case-insensitive occurrences of `needle`, as the runtime's
    `targets::find_word` finds them (non-overlapping, no letter or digit on either side)."""
    lo, nd = text.lower(), needle.lower()
    if not nd.strip() or len(lo) != len(text):
        return []
    out, i = [], lo.find(nd)
    while i >= 0:
        e = i + len(nd)
        if (i == 0 or not lo[i - 1].isalnum()) and (e == len(lo) or not lo[e].isalnum()):
            out.append((i, e))
        i = lo.find(nd, e)
    return out


def mark(text: str, spans) -> str:
    text = text.replace(OPEN, '"').replace(CLOSE, '"')
    out, at = [], 0
    for s, e in sorted(set(spans)):
        if s < at:
            continue
        out += [text[at:s], OPEN, " ", text[s:e], " ", CLOSE]
        at = e
    out.append(text[at:])
    return "".join(out)


def row(text, target, label, group, spans=None):
    spans = list(spans or []) + word_spans(text, target)
    return {"raw": text, "text": mark(text, spans), "target": target, "label": label, "group": group}


# ---------------------------------------------------------------- corpora

def newsmtsc():
    pol = {2.0: "against", 4.0: "none", 6.0: "favor"}
    out = []
    for line in open(data.DATA / "newsmtsc" / "train.jsonl", encoding="utf-8"):
        d = json.loads(line)
        art = "_".join(d["primary_gid"].split("_")[:3])
        for t in d["targets"]:
            out.append(row(d["sentence_normalized"], t["mention"], pol[t["polarity"]], art,
                           [(t["from"], t["to"])]))
    return out


def basil():
    feel = {"pos": "favor", "neg": "against"}
    out = []
    for ann_path in sorted(glob.glob(str(data.DATA / "basil" / "annotations" / "*" / "*_ann.json"))):
        art_path = ann_path.replace("/annotations/", "/articles/").replace("_ann.json", ".json")
        try:
            art = json.load(open(art_path, encoding="utf-8"))
            ann = json.load(open(ann_path, encoding="utf-8"))
        except (OSError, ValueError):
            continue
        group = art.get("triplet-uuid") or ann.get("pair-uuid")
        sents = [s for para in art["body-paragraphs"] for s in para]
        entities = art.get("main-entities") or []
        spans_by_sent = {}
        for p in ann.get("phrase-level-annotations", []):
            try:
                i = int(p["id"].lstrip("p"))
            except (KeyError, ValueError):
                continue
            spans_by_sent.setdefault(i, []).append(p)
        for i, s in enumerate(sents):
            judged = set()
            for p in spans_by_sent.get(i, []):
                ent = (p.get("target") or "").replace("_", " ")
                if p.get("polarity") not in feel or not ent:
                    continue
                # the entity as the sentence names it: the full name or its last word
                for name in (ent, ent.split()[-1]):
                    if word_spans(s, name):
                        out.append(row(s, name, feel[p["polarity"]], group))
                        judged.add(ent)
                        break
            for ent in entities:
                if ent in judged:
                    continue
                for name in (ent, ent.split()[-1]):
                    if len(name) > 2 and word_spans(s, name):
                        out.append(row(s, name, "none", group))
                        break
    return out


def semeval():
    return [row(r["text"], r["target"], r["label"], "semeval:" + r["text"]) for r in data.read_stance()]


def templates(n, seed):
    return [row(r["text"], r["target"], r["label"], f"tpl{i}") for i, r in
            enumerate(stance_templates.rows(n, seed=seed))]


def splits():
    """name -> (train rows, dev rows)."""
    nm, bs, se = newsmtsc(), basil(), semeval()
    is_dev = lambda r: data.bucket(r["group"], DEV_PCT, SALT)  # noqa: E731
    sem_dev = lambda r: data.bucket(r["raw"], 12)  # noqa: E731  (data.py's SemEval split)
    return {
        "newsmtsc": ([r for r in nm if not is_dev(r)], [r for r in nm if is_dev(r)]),
        "basil": ([r for r in bs if not is_dev(r)], [r for r in bs if is_dev(r)]),
        "semeval2016": ([r for r in se if not sem_dev(r)], [r for r in se if sem_dev(r)]),
        "templates": (templates(1500, 21), []),
    }


# ---------------------------------------------------------------- model

class Stance(nn.Module):
    def __init__(self, encoder, open_id, close_id, dropout=0.1):
        super().__init__()
        self.encoder = encoder
        self.open_id, self.close_id = open_id, close_id
        hid = encoder.config.hidden_size
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(2 * hid, len(LABELS))

    def features(self, input_ids, attention_mask):
        h = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                         token_type_ids=torch.zeros_like(input_ids)).last_hidden_state
        m = attention_mask.unsqueeze(-1).to(h.dtype)
        mean = (h * m).sum(1) / m.sum(1).clamp(min=1e-9)
        opens = (input_ids == self.open_id).to(h.dtype)
        closes = (input_ids == self.close_id).to(h.dtype)
        # inside a marked span: more opens than closes seen so far, or the close itself
        inside = ((torch.cumsum(opens, 1) - torch.cumsum(closes, 1) + closes) > 0).to(h.dtype)
        inside = inside.unsqueeze(-1) * m
        n = inside.sum(1)
        span = (h * inside).sum(1) / n.clamp(min=1e-9)
        span = torch.where(n > 0, span, mean)
        return torch.cat([mean, span], dim=-1)

    def forward(self, input_ids, attention_mask):
        return self.head(self.dropout(self.features(input_ids, attention_mask)))


def encode(tok, rows):
    return tok([r["text"] for r in rows], [r["target"] for r in rows], truncation="only_first",
               max_length=MAX_LENGTH)["input_ids"]


def pad(ids_list):
    n = max(len(x) for x in ids_list)
    x = np.zeros((len(ids_list), n), dtype=np.int64)
    m = np.zeros((len(ids_list), n), dtype=np.int64)
    for j, ids in enumerate(ids_list):
        x[j, :len(ids)] = ids
        m[j, :len(ids)] = 1
    return torch.from_numpy(x), torch.from_numpy(m)


def metrics(gold, pred):
    per = {}
    for lab in LABELS:
        tp = sum(g == lab and p == lab for g, p in zip(gold, pred))
        fp = sum(g != lab and p == lab for g, p in zip(gold, pred))
        fn = sum(g == lab and p != lab for g, p in zip(gold, pred))
        pr = tp / (tp + fp) if tp + fp else 0.0
        rc = tp / (tp + fn) if tp + fn else 0.0
        per[lab] = {"precision": round(pr, 4), "recall": round(rc, 4),
                    "f1": round(2 * pr * rc / (pr + rc) if pr + rc else 0.0, 4),
                    "support": sum(g == lab for g in gold)}
    present = [lab for lab in LABELS if per[lab]["support"]]
    return {"n": len(gold), "accuracy": round(sum(g == p for g, p in zip(gold, pred)) / max(len(gold), 1), 4),
            "macro_f1": round(sum(per[lab]["f1"] for lab in present) / max(len(present), 1), 4),
            "f_avg": round((per["favor"]["f1"] + per["against"]["f1"]) / 2, 4), "per_class": per}


def predict(fn, tok, rows, batch=64):
    ids = encode(tok, rows)
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    out = [None] * len(ids)
    for b in range(0, len(order), batch):
        idx = order[b:b + batch]
        lg = fn(*pad([ids[i] for i in idx]))
        for j, i in enumerate(idx):
            out[i] = lg[j]
    return np.stack(out)


def evaluate(fn, tok, dev):
    res = {}
    for name, rows in dev.items():
        if rows:
            lg = predict(fn, tok, rows)
            res[name] = metrics([r["label"] for r in rows], [LABELS[i] for i in lg.argmax(1)])
    return res


def torch_fn(model):
    def f(x, m):
        with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16):
            return model(x, m).float().numpy()
    return f


# ---------------------------------------------------------------- training

def train(args):
    seed_everything(args.seed)
    torch.set_num_threads(args.threads)
    tok, enc, _ = load_base()
    model = Stance(enc, tok.convert_tokens_to_ids(OPEN), tok.convert_tokens_to_ids(CLOSE))
    sp = splits()
    train_rows = [r for tr, _ in sp.values() for r in tr]
    dev = {name: d for name, (_, d) in sp.items() if d}
    for name, (tr, d) in sp.items():
        print(f"{name}: train {len(tr)}, dev {len(d)}", flush=True)
    ids = encode(tok, train_rows)
    y = torch.tensor([LABELS.index(r["label"]) for r in train_rows])
    rng = random.Random(args.seed)
    steps_per_epoch = math.ceil(len(ids) / args.batch)
    planned = int(steps_per_epoch * args.epochs)
    enc_params = list(model.encoder.parameters())
    opt = torch.optim.AdamW([{"params": enc_params, "lr": args.lr},
                             {"params": model.head.parameters(), "lr": args.head_lr}], weight_decay=0.01)
    base_lrs = [g["lr"] for g in opt.param_groups]
    t0, step, best, history = time.time(), 0, -1.0, []
    CKPT.mkdir(parents=True, exist_ok=True)
    epoch = 0
    while step < planned:
        # length-bucketed shuffle: sort chunks of 50 batches by length, shuffle the batches
        order = list(range(len(ids)))
        rng.shuffle(order)
        batches = []
        for c in range(0, len(order), args.batch * 50):
            chunk = sorted(order[c:c + args.batch * 50], key=lambda i: len(ids[i]))
            batches += [chunk[b:b + args.batch] for b in range(0, len(chunk), args.batch)]
        rng.shuffle(batches)
        model.train()
        for idx in batches:
            progress = max(step / planned, (time.time() - t0) / 60 / args.max_minutes if args.max_minutes else 0)
            if progress >= 1:
                break
            warm = min(1.0, step / max(1, int(0.06 * planned)))
            for g, lr in zip(opt.param_groups, base_lrs):
                g["lr"] = lr * warm * max(0.0, 1 - progress) if step >= 0.06 * planned else lr * warm
            x, m = pad([ids[i] for i in idx])
            with torch.autocast("cpu", dtype=torch.bfloat16):
                logits = model(x, m)
            loss = nn.functional.cross_entropy(logits.float(), y[idx], label_smoothing=0.05)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            if step % 50 == 0:
                print(f"step {step}/{planned} loss {loss.item():.3f} {time.time() - t0:.0f}s", flush=True)
        else:
            epoch += 1
        model.eval()
        res = evaluate(torch_fn(model), tok, dev)
        score = res["newsmtsc"]["macro_f1"]
        history.append({"step": step, "minutes": round((time.time() - t0) / 60, 1),
                        **{k: {a: v[a] for a in ("accuracy", "macro_f1", "f_avg")} for k, v in res.items()}})
        print(json.dumps(history[-1]), flush=True)
        if score > best:
            best = score
            torch.save(model.state_dict(), CKPT / "model.pt")
        if progress >= 1 or step >= planned:
            break
    info = {"seed": args.seed, "steps": step, "planned_steps": planned, "epochs": args.epochs,
            "lr": args.lr, "head_lr": args.head_lr, "batch": args.batch, "max_length": MAX_LENGTH,
            "train_rows": {k: len(v[0]) for k, v in sp.items()}, "dev_rows": {k: len(v) for k, v in dev.items()},
            "history": history, "selected": "the evaluation with the best NewsMTSC dev macro-F1"}
    (CKPT / "train_info.json").write_text(json.dumps(info, indent=1))


# ---------------------------------------------------------------- export

class Export(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, input_ids, attention_mask):
        return self.m.head(self.m.features(input_ids, attention_mask))


def export(args):
    import onnx
    import onnxruntime as ort
    from onnxruntime.quantization import QuantType, quantize_dynamic
    torch.set_num_threads(args.threads)
    tok, enc, _ = load_base()
    model = Stance(enc, tok.convert_tokens_to_ids(OPEN), tok.convert_tokens_to_ids(CLOSE))
    model.load_state_dict(torch.load(CKPT / "model.pt", map_location="cpu"))
    model.eval()
    w = Export(model).eval()
    fp32 = CACHE / "stance.fp32.onnx"
    dummy = tok(["« Norland » signed a short example deal", "another"], ["Norland", "x"], padding=True,
                return_tensors="pt")
    torch.onnx.export(w, (dummy["input_ids"], dummy["attention_mask"]), str(fp32), dynamo=False,
                      opset_version=17, input_names=["input_ids", "attention_mask"], output_names=["stance"],
                      dynamic_axes={"input_ids": {0: "batch", 1: "sequence"},
                                    "attention_mask": {0: "batch", 1: "sequence"}, "stance": {0: "batch"}})
    w.eval()
    model.eval()
    onnx.checker.check_model(str(fp32))
    q = OUT / "stance.int8.onnx"
    quantize_dynamic(str(fp32), str(q), weight_type=QuantType.QInt8, per_channel=True)
    so = ort.SessionOptions()
    so.intra_op_num_threads = args.threads
    so.add_session_config_entry("session.intra_op.allow_spinning", "0")
    sp = splits()
    dev = {name: d for name, (_, d) in sp.items() if d}
    res = {}
    for label, path in (("fp32", fp32), ("int8", q)):
        sess = ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])
        fn = lambda x, m: sess.run(["stance"], {"input_ids": x.numpy(), "attention_mask": m.numpy()})[0]  # noqa: E731
        res[label] = evaluate(fn, tok, dev)
        print(label, json.dumps({k: {a: v[a] for a in ("accuracy", "macro_f1", "f_avg")} for k, v in res[label].items()}),
              flush=True)
    print(f"int8 stance model: {q.stat().st_size / 1e6:.1f} MB")
    (CKPT / "export_metrics.json").write_text(json.dumps(res, indent=1))
    register(q, res)


def register(q, res):
    """Names the stance graph in config.json and records it in manifest.json (hash, size, the
    training run and its dev figures), leaving the main graph's entries as they are."""
    import hashlib
    cfg_path = OUT / "config.json"
    cfg = json.loads(cfg_path.read_text())
    cfg["stance_model"] = {
        "model": q.name, "max_length": MAX_LENGTH, "input": "marked",
        "note": "all-MiniLM-L6-v2 fine-tuned on news stance (models/train/stance_news.py); input: the "
                "sentence with every mention of the target between « and », paired with the mention; "
                "output `stance` = logits of favor, against, none",
    }
    cfg_path.write_text(json.dumps(cfg, indent=1))
    man_path = OUT / "manifest.json"
    man = json.loads(man_path.read_text())
    for p in (q, cfg_path):
        man["files"][p.name] = {"sha256": hashlib.sha256(p.read_bytes()).hexdigest(), "bytes": p.stat().st_size}
    info = json.loads((CKPT / "train_info.json").read_text())
    man["stance_model"] = {"file": q.name, "training": {k: v for k, v in info.items() if k != "history"},
                           "history": info.get("history"),
                           "dev_metrics": {lab: {k: {a: v[a] for a in ("accuracy", "macro_f1", "f_avg")}
                                                 for k, v in r.items()} for lab, r in res.items()}}
    man_path.write_text(json.dumps(man, indent=1))


def dev_csv(args):
    """Dev splits as `text,target,label` CSVs (raw text: rhetor marks the mentions itself)."""
    out = CACHE / "dev"
    out.mkdir(parents=True, exist_ok=True)
    for name, (_, rows) in splits().items():
        if not rows or name == "semeval2016":
            continue
        path = out / f"stance_{name}_news.csv"
        with open(path, "w", encoding="utf-8", newline="") as f:
            wr = csv.writer(f, lineterminator="\n")
            wr.writerow(["text", "target", "label"])
            wr.writerows([r["raw"], r["target"], r["label"]] for r in rows)
        print(f"{path}  {len(rows)} rows")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=float, default=3.0)
    ap.add_argument("--lr", type=float, default=4e-5)
    ap.add_argument("--head-lr", type=float, default=1e-3)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--max-minutes", type=float, default=45)
    ap.add_argument("--export-only", action="store_true")
    ap.add_argument("--ckpt", type=Path, default=CKPT, help="checkpoint directory (default .cache/stance)")
    ap.add_argument("--soup", type=Path, nargs="+",
                    help="average the model.pt of these checkpoint directories into --ckpt, then export")
    ap.add_argument("--no-export", action="store_true", help="train only")
    ap.add_argument("--dev-csv", action="store_true")
    ap.add_argument("--register-only", action="store_true",
                    help="only write the stance graph into config.json and manifest.json")
    ap.add_argument("--stats", action="store_true", help="print split sizes and label counts")
    args = ap.parse_args()
    if args.stats:
        from collections import Counter
        for name, (tr, d) in splits().items():
            print(name, len(tr), Counter(r["label"] for r in tr), len(d), Counter(r["label"] for r in d))
        return
    if args.dev_csv:
        return dev_csv(args)
    if args.register_only:
        return register(OUT / "stance.int8.onnx", json.loads((CKPT / "export_metrics.json").read_text()))
    globals()["CKPT"] = args.ckpt   # train/export/register read the module's CKPT
    if args.soup:
        soup(args.soup, CKPT)
    elif not args.export_only:
        train(args)
    if not args.no_export:
        export(args)


def soup(dirs, out):
    """The uniform average of the weights of runs fine-tuned from the same base (a model soup,
    Wortsman et al. 2022); saved as out/model.pt with the first run's train_info."""
    states = [torch.load(d / "model.pt", map_location="cpu") for d in dirs]
    avg = {k: sum(s[k].float() for s in states) / len(states) for k in states[0]}
    out.mkdir(parents=True, exist_ok=True)
    torch.save(avg, out / "model.pt")
    info = json.loads((dirs[0] / "train_info.json").read_text())
    info["soup_of"] = [json.loads((d / "train_info.json").read_text()) for d in dirs]
    (out / "train_info.json").write_text(json.dumps(info, indent=1))


if __name__ == "__main__":
    main()
