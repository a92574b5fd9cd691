"""Multi-task fine-tuning of all-MiniLM-L6-v2 for rhetor's sentence heads (CPU-friendly).

    nice -n 19 .cache/venv/bin/python models/train/train.py            # full run (~45-60 min, 2 cores)
    nice -n 19 .cache/venv/bin/python models/train/train.py --smoke    # a few steps, to check wiring

Why it looks like this:
* One "epoch" is a fixed mixture of every corpus (multipliers in MIX): the big sentiment corpora
  are capped, the small bias corpus (BABE) is repeated, so one pass fits ~45 min on 2 CPU cores.
* Each batch holds one task only; batches are length-bucketed (sorted within pools) so padding,
  which is pure waste on CPU, stays small; then batches of all tasks are shuffled together.
* bf16 autocast on CPU is ~1.4x faster than fp32 here; the master weights stay fp32.
* SST-2 rows are binary: their neutral logit is masked out of the softmax, so they teach
  negative-vs-positive without pushing "neutral" down.
* Time budget (--max-minutes): the learning-rate schedule runs on progress =
  max(step / planned_steps, elapsed / budget), and training stops when progress reaches 1. On a
  fast machine the whole plan runs (and the run is exactly reproducible); on a slow, shared one the
  run ends on time with the rate fully annealed, having seen a seeded, shuffled prefix of the plan.
  The log and train_info.json say how many steps were taken. --max-minutes 0 disables it.
* The word-embedding matrix (11.7M of the 22.7M parameters) is frozen: with a few tens of
  thousands of sentences it barely moves, and its dense AdamW update costs CPU time every step.
"""
from __future__ import annotations

import os

# On a shared, oversubscribed machine OpenMP's default spin-waiting burns the CPU it gets: measured
# here under load, 2 threads spinning ran 2.3 examples/s, with passive waiting 13.6. Must be set
# before torch is imported.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse
import json
import math
import random
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

import data
from common import CKPT, HEADS, MAX_LENGTH, ROOT, MultiTask, load_base, seed_everything
from data import LABELS

# corpus -> how many times it appears in one epoch (fractions subsample, seeded)
# (~61k example-passes per epoch; the shared 2-core machine gives 10-50 examples/s depending on
# what else runs, so the default plan is 2 epochs cut short by the time budget, see main()).
MIX = {
    "sentiment": {"sst2": 0.5, "sst5": 1.0, "tweeteval": 0.5},
    "uncertainty": {"wiki": 1.0, "factbank": 1.0, "bio": 0.4},
    "bias": {"babe": 3.0, "babe_sg1_mbic": 3.0, "wikinpov": 0.5},
    "technique": {"ptc": 0.6},
    "stance": {"semeval2016": 1.0, "dong2014": 0.0, "absa2014": 0.0, "paired": 0.0, "templates": 0.0},
}
# Stage 2 ("polish", optional): continue from stage 1 with more sentence-level sentiment (SST),
# the other tasks kept in the mix at a lower rate so the shared encoder does not forget them.
MIX_POLISH = {
    "sentiment": {"sst2": 1.0, "sst5": 1.0, "tweeteval": 0.3},
    "uncertainty": {"wiki": 0.3, "factbank": 0.3, "bio": 0.1},
    "bias": {"babe": 1.0, "babe_sg1_mbic": 1.0, "wikinpov": 0.2},
    "technique": {"ptc": 0.2},
    "stance": {"semeval2016": 0.5, "dong2014": 0.0, "absa2014": 0.0, "paired": 0.0, "templates": 0.0},
}
# Stage 3 ("targets", issue 4 + more polarity for issue 3): continue from stage 2. Stance learns
# from target-dependent sentiment (Dong 2014, SemEval-2014 aspects) where the target is named in
# the sentence, as in columns; SemEval-2016 alone taught tweet topics and did not transfer. SST-2
# comes with its short sub-phrases (3 words and up, STAGE_SST2_MIN_WORDS): phrase-level labels
# teach composition ("not bad", "hardly a masterpiece"). The other tasks are replayed at a low rate.
MIX_TARGETS = {
    "sentiment": {"sst2": 1.0, "sst5": 1.0, "tweeteval": 0.2},
    "uncertainty": {"wiki": 0.3, "factbank": 0.3, "bio": 0.1},
    "bias": {"babe": 1.0, "babe_sg1_mbic": 1.0, "wikinpov": 0.2},
    "technique": {"ptc": 0.2},
    "stance": {"semeval2016": 1.0, "dong2014": 1.0, "absa2014": 1.0, "paired": 0.0, "templates": 0.0},
}
# Stage 4 ("sentiment"): after stage 3 left SST polarity a few sentences short of 90% and the
# stance head still read a sentence's overall tone as stance toward every party in it, a short,
# low-rate continuation weighted to sentence sentiment, with paired target rows (data.paired),
# every other task replayed.
MIX_SENTIMENT = {
    "sentiment": {"sst2": 0.6, "sst5": 1.0, "tweeteval": 0.1},
    "uncertainty": {"wiki": 0.2, "factbank": 0.2, "bio": 0.05},
    "bias": {"babe": 0.7, "babe_sg1_mbic": 0.7, "wikinpov": 0.1},
    "technique": {"ptc": 0.1},
    "stance": {"semeval2016": 0.4, "dong2014": 0.3, "absa2014": 0.3, "paired": 1.0, "templates": 0.0},
}
# Stage 5 ("columns", issue 4): the stage 3 mixture plus hand-written column-style rows with two
# parties (stance_templates.py): "A's troops hunted down G's commanders" is favor A, against G.
# Stance on the sample column had read threat words near a name as stance toward it.
MIX_COLUMNS = {**MIX_TARGETS, "stance": {**MIX_TARGETS["stance"], "templates": 1.0}}
MIXES = {"main": MIX, "polish": MIX_POLISH, "targets": MIX_TARGETS, "sentiment": MIX_SENTIMENT,
         "columns": MIX_COLUMNS}
STAGE_SST2_MIN_WORDS = {"main": 6, "polish": 6, "targets": 3, "sentiment": 3, "columns": 3}
LOSS_WEIGHT = {"sentiment": 1.0, "uncertainty": 1.0, "bias": 1.0, "technique": 4.0, "stance": 0.5}
# Stage 3 gives stance full weight: its data grew from 2.6k tweets to 14.8k rows.
STAGE_LOSS_WEIGHT = {"targets": {"stance": 1.0}, "sentiment": {"stance": 1.0}, "columns": {"stance": 1.0}}
TECH_POS_WEIGHT = 3.0   # positives are sparse (~3-10% per technique); lift recall a little


# Weight averaging. Measured on the dev sets: the uniform average of stages 3 and 4 scored SST
# polarity 0.898 where stage 3 alone scored 0.897 and stage 4 0.892 (torch bf16); averaging points
# along one run (--average-from) is the same idea within a stage.
AVERAGE_EVERY = 50


def soup(state_dicts):
    """The uniform average of state dicts of one architecture (integer buffers taken from the first)."""
    if len(state_dicts) == 1:
        return state_dicts[0]
    out = {}
    for k, v in state_dicts[0].items():
        out[k] = sum(sd[k].float() for sd in state_dicts) / len(state_dicts) if v.is_floating_point() else v
    return out


class Average:
    """Running uniform average of a model's weights."""

    def __init__(self):
        self.n, self.sum = 0, None

    @torch.no_grad()
    def add(self, state_dict):
        self.n += 1
        if self.sum is None:
            self.sum = {k: v.detach().clone().float() if v.is_floating_point() else v.clone()
                        for k, v in state_dict.items()}
            return
        for k, v in state_dict.items():
            if v.is_floating_point():
                self.sum[k] += v.float()

    def state_dict(self):
        return {k: v / self.n if v.is_floating_point() else v for k, v in self.sum.items()}


def encode(tok, rows, task):
    if task == "stance":
        enc = tok([r["text"] for r in rows], [r["target"] for r in rows], truncation="only_first",
                  max_length=MAX_LENGTH)
    else:
        enc = tok([r["text"] for r in rows], truncation=True, max_length=MAX_LENGTH)
    return enc["input_ids"]


def target_of(task, r):
    if task == "technique":
        return [1.0 if t in r["label"] else 0.0 for t in LABELS["technique"]]
    return LABELS[task].index(r["label"])


def make_batches(tok, train, rng, batch_size, mix, pool=50):
    batches = []
    for task, corpora in train.items():
        rows = []
        for name, items in corpora.items():
            mult = mix[task][name]
            whole, frac = int(mult), mult - int(mult)
            rows += items * whole
            if frac:
                rows += rng.sample(items, int(len(items) * frac))
        ids = encode(tok, rows, task)
        ex = [(i, target_of(task, r), bool(r.get("binary"))) for i, r in zip(ids, rows)]
        rng.shuffle(ex)
        for p in range(0, len(ex), batch_size * pool):
            chunk = sorted(ex[p:p + batch_size * pool], key=lambda e: len(e[0]))
            for b in range(0, len(chunk), batch_size):
                batches.append((task, chunk[b:b + batch_size]))
    rng.shuffle(batches)
    return batches


def collate(batch, pad_id=0):
    n = max(len(e[0]) for e in batch)
    ids = torch.full((len(batch), n), pad_id, dtype=torch.long)
    mask = torch.zeros((len(batch), n), dtype=torch.long)
    for k, e in enumerate(batch):
        ids[k, :len(e[0])] = torch.tensor(e[0])
        mask[k, :len(e[0])] = 1
    return ids, mask


def task_loss(task, logits, batch):
    dev = logits.device
    if task == "technique":
        y = torch.tensor([e[1] for e in batch], device=dev)
        pw = torch.full((y.shape[1],), TECH_POS_WEIGHT, device=dev)
        return F.binary_cross_entropy_with_logits(logits.float(), y, pos_weight=pw)
    y = torch.tensor([e[1] for e in batch], device=dev)
    logits = logits.float()
    if task == "sentiment":
        binary = torch.tensor([e[2] for e in batch], device=dev)
        if binary.any():  # mask the neutral logit for binary (SST-2) rows
            neg_inf = torch.full_like(logits[:, 1], -1e4)
            logits = torch.stack([logits[:, 0], torch.where(binary, neg_inf, logits[:, 1]), logits[:, 2]], 1)
    return F.cross_entropy(logits, y)


# ------------------------------------------------------------------------------- evaluation
def macro_f1(y, p, k):
    f = []
    for c in range(k):
        tp = np.sum((p == c) & (y == c)); fp = np.sum((p == c) & (y != c)); fn = np.sum((p != c) & (y == c))
        if tp + fp + fn == 0:
            continue
        f.append(2 * tp / max(2 * tp + fp + fn, 1))
    return float(np.mean(f))


@torch.no_grad()
def predict(model, tok, rows, task, batch_size=64):
    model.eval()
    device = next(model.parameters()).device
    ids = encode(tok, rows, task)
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    out = [None] * len(ids)
    for b in range(0, len(order), batch_size):
        idx = order[b:b + batch_size]
        x, m = collate([(ids[i], None, False) for i in idx])
        with torch.autocast(device.type, dtype=torch.bfloat16):
            lg = model(x.to(device), m.to(device), heads=[task])[task].float().cpu().numpy()
        for j, i in enumerate(idx):
            out[i] = lg[j]
    return np.stack(out)


def score(task, rows, logits):
    """Metrics from logits; shared with export.py (which scores the int8 ONNX model)."""
    if task == "technique":
        y = np.array([[1 if t in r["label"] else 0 for t in LABELS["technique"]] for r in rows])
        pr = 1 / (1 + np.exp(-logits))
        best = max(((t, _micro_f1(y, pr >= t)) for t in np.arange(0.1, 0.95, 0.05)), key=lambda z: z[1])
        thr = float(round(best[0], 2))
        per = {}
        for j, t in enumerate(LABELS["technique"]):
            yy, pp = y[:, j], pr[:, j] >= thr
            tp = int(np.sum(yy & pp)); fp = int(np.sum(~yy.astype(bool) & pp)); fn = int(np.sum(yy.astype(bool) & ~pp))
            per[t] = {"f1": round(2 * tp / max(2 * tp + fp + fn, 1), 4), "support": int(yy.sum())}
        anyp = pr.max(1) >= thr
        anyy = y.max(1) == 1
        return {"n": len(rows), "threshold": thr, "micro_f1": round(best[1], 4),
                "any_technique_accuracy": round(float(np.mean(anyp == anyy)), 4), "per_technique": per}
    labs = LABELS[task]
    y = np.array([labs.index(r["label"]) for r in rows])
    present = sorted(set(y.tolist()))
    p = logits.argmax(1)
    res = {"n": len(rows), "accuracy": round(float(np.mean(p == y)), 4),
           "macro_f1": round(macro_f1(y, p, len(labs)), 4)}
    if len(present) < len(labs):  # e.g. SST binary: also score restricted to the classes present
        sub = logits[:, present]
        pr = np.array(present)[sub.argmax(1)]
        res["accuracy_restricted"] = round(float(np.mean(pr == y)), 4)
        res["macro_f1_restricted"] = round(macro_f1(y, pr, len(labs)), 4)
        res["restricted_to"] = [labs[c] for c in present]
    cm = np.zeros((len(labs), len(labs)), dtype=int)
    for a, b in zip(y, p):
        cm[a, b] += 1
    res["confusion"] = cm.tolist()
    if task == "stance":  # SemEval-2016's score: mean F1 of favor and against
        f = [2 * cm[c, c] / max(cm[c, :].sum() + cm[:, c].sum(), 1) for c in (0, 1)]
        res["f_avg"] = round(float(sum(f) / 2), 4)
    return res


def _micro_f1(y, p):
    tp = np.sum(y & p); fp = np.sum((1 - y) & p); fn = np.sum(y & ~p)
    return float(2 * tp / max(2 * tp + fp + fn, 1))


def probe_rows():
    """reports/stance/probe.csv: hand-written column-style (sentence, target) pairs, never trained on."""
    import csv
    with open(ROOT / "reports" / "stance" / "probe.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def evaluate(model, tok, dev):
    res = {}
    for task, sets in dev.items():
        for name, rows in sets.items():
            res[f"{task}/{name}"] = score(task, rows, predict(model, tok, rows, task))
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--epochs", type=float, default=2.0)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--head-lr", type=float, default=1e-3)
    ap.add_argument("--max-minutes", type=float, default=70.0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--stage", choices=sorted(MIXES), default="main",
                    help="main: from the base encoder; polish / targets / sentiment / columns: continue "
                         "from --init with MIX_POLISH / MIX_TARGETS / MIX_SENTIMENT / MIX_COLUMNS")
    ap.add_argument("--init", nargs="+", default=None,
                    help="state_dict(s) to start from; several are averaged uniformly (a weight soup)")
    ap.add_argument("--average-from", type=float, default=None,
                    help="keep a uniform average of the weights from this progress on (every "
                         f"{AVERAGE_EVERY} steps) and save it as model.pt; the last weights go to model.last.pt")
    ap.add_argument("--device", default="auto",
                    help="cpu, cuda, or auto (cuda when one is available); bf16 autocast on either")
    ap.add_argument("--out", type=Path, default=CKPT,
                    help=f"where model.pt and train_info.json go (default {CKPT})")
    ap.add_argument("--train-embeddings", action="store_true",
                    help="also update the word-embedding matrix (frozen by default: slower steps)")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    seed_everything(args.seed)
    rng = random.Random(args.seed)
    tok, enc, base = load_base()
    model = MultiTask(enc)
    mix = MIXES[args.stage]
    loss_weight = {**LOSS_WEIGHT, **STAGE_LOSS_WEIGHT.get(args.stage, {})}
    if args.init:
        model.load_state_dict(soup([torch.load(p, map_location="cpu") for p in args.init]))
    device = torch.device("cuda" if args.device == "auto" and torch.cuda.is_available()
                          else "cpu" if args.device == "auto" else args.device)
    model.to(device)
    print(f"device {device}" + (f" ({torch.cuda.get_device_name(device)}, torch {torch.__version__})"
                                if device.type == "cuda" else ""), flush=True)

    t0 = time.time()
    all_data = data.load_all(STAGE_SST2_MIN_WORDS[args.stage])
    train = {t: all_data[t][0] for t in HEADS}
    dev = {t: all_data[t][1] for t in HEADS}
    counts = {t: {k: len(v) for k, v in c.items()} for t, c in train.items()}
    batches = make_batches(tok, train, rng, args.batch_size, mix)
    n_ep = math.ceil(args.epochs)
    plan = []
    for e in range(n_ep):
        bs = batches if e == 0 else make_batches(tok, train, rng, args.batch_size, mix)
        plan += bs if e + 1 <= args.epochs else bs[: int(len(bs) * (args.epochs - e))]
    if args.smoke:
        plan = plan[:20]
        dev = {t: {k: v[:64] for k, v in s.items()} for t, s in dev.items()}
    per_task = {}
    for t, b in plan:
        per_task[t] = per_task.get(t, 0) + len(b)
    print(f"data ready in {time.time() - t0:.0f}s; {len(plan)} batches; example-passes {per_task}", flush=True)

    model.encoder.embeddings.word_embeddings.weight.requires_grad_(args.train_embeddings)
    head_params = [p for n, p in model.named_parameters() if n.startswith("heads.")]
    enc_params = [p for n, p in model.named_parameters() if not n.startswith("heads.") and p.requires_grad]
    opt = torch.optim.AdamW([{"params": enc_params, "lr": args.lr}, {"params": head_params, "lr": args.head_lr}],
                            weight_decay=0.01)
    total = len(plan)
    budget = args.max_minutes * 60

    def lr_factor(progress):  # linear warm-up over the first 6%, then linear decay to 0
        return min(progress / 0.06, max(0.0, (1 - progress) / 0.94)) if progress < 1 else 0.0

    base_lrs = [g["lr"] for g in opt.param_groups]

    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    model.train()
    start = time.time()
    run_loss = {}
    stopped_early = False
    seen = 0
    average = Average()
    for step, (task, batch) in enumerate(plan):
        progress = (step + 1) / total
        if budget > 0:
            progress = max(progress, (time.time() - start) / budget)
        if progress >= 1.0 and step < total - 1:
            print(f"TIME BUDGET reached: stopping at step {step}/{total}", flush=True)
            stopped_early = True
            break
        for g, lr in zip(opt.param_groups, base_lrs):
            g["lr"] = lr * lr_factor(progress)
        x, m = collate(batch)
        with torch.autocast(device.type, dtype=torch.bfloat16):
            logits = model(x.to(device), m.to(device), heads=[task])[task]
        loss = task_loss(task, logits, batch) * loss_weight[task]
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        seen += len(batch)
        if args.average_from is not None and progress >= args.average_from and step % AVERAGE_EVERY == 0:
            average.add(model.state_dict())
        run_loss[task] = 0.98 * run_loss.get(task, loss.item()) + 0.02 * loss.item()
        if step % 100 == 0 or step == total - 1:
            el = time.time() - start
            rate = seen / max(el, 1e-9)
            eta = (sum(len(b) for _, b in plan) - seen) / max(rate, 1e-9)
            print(f"step {step}/{total} {el/60:.1f}min {rate:.1f} ex/s plan-eta {eta/60:.1f}min "
                  f"progress {progress:.3f} lr {opt.param_groups[0]['lr']:.2e} "
                  + " ".join(f"{k}={v:.3f}" for k, v in sorted(run_loss.items())), flush=True)
        if step and step % 1000 == 0:
            torch.save(model.state_dict(), out / "model.pt")
    step = step if stopped_early else step + 1
    train_min = (time.time() - start) / 60
    if average.n:
        torch.save(model.state_dict(), out / "model.last.pt")
        model.load_state_dict(average.state_dict())
        print(f"weights averaged over {average.n} points from progress {args.average_from}", flush=True)
    torch.save(model.state_dict(), out / "model.pt")
    print(f"training done in {train_min:.1f} min; evaluating", flush=True)
    # quick look at the three gated dev sets (export.py scores every dev set on the int8 model)
    metrics = evaluate(model, tok, {"sentiment": {"sst_binary": dev["sentiment"]["sst_binary"]},
                                    "uncertainty": {"wiki": dev["uncertainty"]["wiki"]},
                                    "bias": {"babe": dev["bias"]["babe"]},
                                    "stance": {**dev["stance"], "probe": probe_rows()}})
    for k, v in metrics.items():
        print(k, json.dumps({a: b for a, b in v.items() if a not in ("per_technique", "confusion")}), flush=True)
    # the stage(s) this one started from: train_info.json beside each --init file (the CPU recipe
    # wrote every stage to .cache/ckpt, so that is where the previous stage's info was). The first
    # --init is the lineage (previous_stage); the others of a soup go to soup_with, without theirs.
    prevs = [Path(p).parent / "train_info.json" for p in args.init or []]
    prevs = [json.loads(p.read_text()) if p.exists() else None for p in prevs]
    previous = prevs[0] if prevs else None
    soup_with = [{k: v for k, v in p.items() if k != "previous_stage"} for p in prevs[1:] if p]
    info = {"previous_stage": previous, "soup_with": soup_with, "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}, "mix": mix, "loss_weight": loss_weight, "train_counts": counts,
            "example_passes": per_task, "steps": step, "planned_steps": total,
            "stopped_early": stopped_early, "averaged_points": average.n, "train_minutes": round(train_min, 1),
            "torch": torch.__version__,
            "device": torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu",
            "dev_metrics_torch_bf16": metrics}
    (out / "train_info.json").write_text(json.dumps(info, indent=1))


if __name__ == "__main__":
    main()
