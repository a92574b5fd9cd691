"""Stance (issue 4): the per-target majority baseline, and a held-out-target check.

    python3 models/train/stance_heldout.py baseline [--target "Hillary Clinton"]
    nice -n 19 .cache/venv/bin/python models/train/stance_heldout.py heldout [--target ...] [--epochs 3]

Both use the recipe's own SemEval-2016 split (data.py: md5 buckets over train + trial data), so
the numbers sit beside `rhetor eval stance .cache/dev/stance_semeval2016.csv`.

baseline (standard library only): every dev row gets its target's majority label in the *train*
split, as the SemEval-2016 organisers' baseline does; prints F_avg (mean F1 of favor and against,
pooled over targets) and macro-F1, and writes .cache/dev/stance_target_<slug>.csv (every row of
the held-out target, header text,target,label) for `rhetor eval stance` on a model trained
without that target.

dong (standard library only): writes .cache/dev/stance_dong2014_test.csv from the Dong et al.
(2014) target-dependent Twitter sentiment test set, which the recipe does not train on: targets
(people, products, companies) that SemEval never had, named in the text as columns name theirs.
Sentiment toward the target stands in for stance (positive → favor, negative → against,
neutral → none), so read its scores as a proxy.

heldout (needs the recipe's venv): fine-tunes the base encoder with the stance head alone, twice
with the same seed and settings: on the train split without the held-out target, and on the
whole train split (control). Reports F_avg on the held-out target's dev rows for both runs, on
all of its rows for the held-out run, and on the other targets' dev rows. Stance-only training is
a proxy for the multi-task recipe: it shows whether the head generalises to a target it never
saw, not the shipped model's figure. `--extra dong,absa` adds target-dependent sentiment data
(Dong et al. 2014 train; SemEval-2014 aspect terms, restaurants and laptops, train) as stance
supervision (positive → favor, negative → against, neutral → none): targets named in the text,
as in columns. Every run is also scored on the Dong test set and on reports/stance/probe.csv
(48 hand-written column-style pairs). At most --extra-cap extra rows are sampled (CPU time).
Writes reports/stance/heldout[-<extra>].json (numbers only).
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

import data  # noqa: E402  (the recipe's corpus readers and split)
import stance_templates  # noqa: E402  (column-style role rows)

LABELS = ["favor", "against", "none"]


def f1s(gold, pred):
    out = {}
    for lab in LABELS:
        tp = sum(g == lab and p == lab for g, p in zip(gold, pred))
        npred = sum(p == lab for p in pred)
        ngold = sum(g == lab for g in gold)
        prec = tp / npred if npred else 0.0
        rec = tp / ngold if ngold else 0.0
        out[lab] = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return out


def scores(gold, pred):
    f = f1s(gold, pred)
    return {"n": len(gold), "f_avg": round((f["favor"] + f["against"]) / 2, 4),
            "macro_f1": round(sum(f.values()) / 3, 4),
            "accuracy": round(sum(g == p for g, p in zip(gold, pred)) / max(len(gold), 1), 4)}


def split():
    train, dev = data.stance()
    return train["semeval2016"], dev["semeval2016"]


def majority(rows):
    return Counter(r["label"] for r in rows).most_common(1)[0][0]


def baseline(args):
    train, dev = split()
    by_target = {}
    for r in train:
        by_target.setdefault(r["target"], []).append(r)
    maj = {t: majority(rs) for t, rs in by_target.items()}
    pred = [maj[r["target"]] for r in dev]
    res = {"per_target_majority": {t: maj[t] for t in sorted(maj)},
           "dev": scores([r["label"] for r in dev], pred)}
    held = [r for r in train + dev if r["target"] == args.target]
    others = [r for r in train if r["target"] != args.target]
    fallback = majority(others)
    res["heldout_target"] = {"target": args.target, "rows": len(held),
                             "baseline_label (majority of the other targets)": fallback,
                             "baseline": scores([r["label"] for r in held], [fallback] * len(held))}
    out = ROOT / ".cache" / "dev"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"stance_target_{slug(args.target)}.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["text", "target", "label"])
        w.writerows([r["text"], r["target"], r["label"]] for r in held)
    print(json.dumps(res, indent=1))
    print(f"wrote {path} ({len(held)} rows)", file=sys.stderr)
    return res


def read_t_format(path):
    """The recipe's `$T$` reader with the target put back in (no name swapping)."""
    return data.fill(data.read_t_format(path))


def extra_rows(names):
    out = []
    for name in names:
        if name == "dong":
            out += read_t_format(data.DATA / "twitter-target-dependent-dong2014" / "train.raw.txt")
        elif name == "absa":
            for f in ("Restaurants_Train.xml.seg.txt", "Laptops_Train.xml.seg.txt"):
                out += read_t_format(data.DATA / "semeval2014-absa-seg" / f)
        elif name == "templates":
            out += stance_templates.rows(3000, seed=21)
        else:
            raise SystemExit(f"unknown extra data {name!r} (dong, absa, templates)")
    return out


def probe_rows():
    with open(ROOT / "reports" / "stance" / "probe.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def dong(args):
    src = data.DATA / "twitter-target-dependent-dong2014" / "test.raw.txt"
    lines = src.read_text(encoding="utf-8").splitlines()
    label = {"1": "favor", "-1": "against", "0": "none"}
    rows = []
    for i in range(0, len(lines) - 2, 3):
        text, target, pol = lines[i], lines[i + 1].strip(), lines[i + 2].strip()
        rows.append([" ".join(text.replace("$T$", target).split()), target, label[pol]])
    out = ROOT / ".cache" / "dev"
    out.mkdir(parents=True, exist_ok=True)
    path = out / "stance_dong2014_test.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["text", "target", "label"])
        w.writerows(rows)
    gold = [r[2] for r in rows]
    print(json.dumps({"rows": len(rows), "labels": dict(Counter(gold)),
                      "targets": len({r[1] for r in rows}),
                      "majority_baseline": scores(gold, [Counter(gold).most_common(1)[0][0]] * len(gold))}))
    print(f"wrote {path}", file=sys.stderr)


def slug(s):
    return "".join(c.lower() if c.isalnum() else "_" for c in s).strip("_")


def heldout(args):
    import torch
    import torch.nn.functional as F
    from common import MAX_LENGTH, MultiTask, load_base, seed_everything

    torch.set_num_threads(args.threads)
    train, dev = split()
    target = args.target
    if target not in {r["target"] for r in train}:
        raise SystemExit(f"unknown target {target!r}")
    held_all = [r for r in train + dev if r["target"] == target]
    held_dev = [r for r in dev if r["target"] == target]
    seen_dev = [r for r in dev if r["target"] != target]
    extras = [e for e in args.extra.split(",") if e]
    more = extra_rows(extras)
    if len(more) > args.extra_cap:
        more = random.Random(args.seed).sample(more, args.extra_cap)
    dong_test = read_t_format(data.DATA / "twitter-target-dependent-dong2014" / "test.raw.txt")
    probe = probe_rows()

    def run(rows, name):
        seed_everything(args.seed)
        tok, enc, _ = load_base()
        model = MultiTask(enc)
        model.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
        head = list(model.heads["stance"].parameters())
        body = [p for n, p in model.named_parameters() if not n.startswith("heads.") and p.requires_grad]
        opt = torch.optim.AdamW([{"params": body, "lr": args.lr}, {"params": head, "lr": args.head_lr}],
                                weight_decay=0.01)
        rng = random.Random(args.seed)
        steps = []
        for _ in range(args.epochs):
            order = rows[:]
            rng.shuffle(order)
            steps += [order[i:i + args.batch_size] for i in range(0, len(order), args.batch_size)]
        base_lrs = [g["lr"] for g in opt.param_groups]
        model.train()
        t0 = time.time()
        for i, batch in enumerate(steps):
            progress = (i + 1) / len(steps)
            factor = min(progress / 0.06, (1 - progress) / 0.94) if progress < 1 else 0.0
            for g, lr in zip(opt.param_groups, base_lrs):
                g["lr"] = lr * max(factor, 0.0)
            enc_in = tok([r["text"] for r in batch], [r["target"] for r in batch], truncation="only_first",
                         max_length=MAX_LENGTH, padding=True, return_tensors="pt")
            y = torch.tensor([LABELS.index(r["label"]) for r in batch])
            with torch.autocast("cpu", dtype=torch.bfloat16):
                logits = model(enc_in["input_ids"], enc_in["attention_mask"], heads=["stance"])["stance"]
            loss = F.cross_entropy(logits.float(), y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            if i % 50 == 0:
                print(f"[{name}] step {i}/{len(steps)} {time.time() - t0:.0f}s loss {loss.item():.3f}", flush=True)
        model.eval()

        def predict(rs):
            out = []
            with torch.no_grad():
                for k in range(0, len(rs), 64):
                    b = rs[k:k + 64]
                    e = tok([r["text"] for r in b], [r["target"] for r in b], truncation="only_first",
                            max_length=MAX_LENGTH, padding=True, return_tensors="pt")
                    lg = model(e["input_ids"], e["attention_mask"], heads=["stance"])["stance"]
                    out += [LABELS[j] for j in lg.argmax(-1).tolist()]
            return out

        def ev(rs):
            return scores([r["label"] for r in rs], predict(rs))

        return {"train_rows": len(rows), "steps": len(steps), "minutes": round((time.time() - t0) / 60, 1),
                "heldout_target_dev": ev(held_dev), "seen_targets_dev": ev(seen_dev),
                **({"heldout_target_all_rows": ev(held_all)} if name == "heldout" else {}),
                "dong2014_test": ev(dong_test), "probe": ev(probe)}

    res = {"target": target, "seed": args.seed, "epochs": args.epochs, "lr": args.lr, "head_lr": args.head_lr,
           "batch_size": args.batch_size, "extra": extras, "extra_rows": len(more),
           "note": "stance head alone on the base encoder (a proxy for the recipe)"}
    res["heldout"] = run([r for r in train if r["target"] != target] + more, "heldout")
    print(json.dumps(res["heldout"]), flush=True)
    if not args.skip_control:
        res["control"] = run(train + more, "control")
        print(json.dumps(res["control"]), flush=True)
    out = ROOT / "reports" / "stance"
    out.mkdir(parents=True, exist_ok=True)
    suffix = "-" + "-".join(extras) if extras else ""
    (out / f"heldout{suffix}.json").write_text(json.dumps(res, indent=1) + "\n")
    print(json.dumps(res, indent=1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["baseline", "dong", "heldout"])
    ap.add_argument("--target", default="Hillary Clinton")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--head-lr", type=float, default=1e-3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--skip-control", action="store_true")
    ap.add_argument("--extra", default="", help="comma-separated: dong, absa, templates")
    ap.add_argument("--extra-cap", type=int, default=4000, help="sample at most this many extra rows")
    args = ap.parse_args()
    {"baseline": baseline, "dong": dong, "heldout": heldout}[args.what](args)


if __name__ == "__main__":
    main()
