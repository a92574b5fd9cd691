"""The Python baseline for reports/benchmarks/encoder-vs-python.sh: the same fine-tuned model
(fp32 PyTorch checkpoint from models/train/train.py) in a transformers text-classification
pipeline, 2 threads, on the same sentences rhetor scores.

    python python_pipeline.py SENTENCES.csv [--batch-size N]   → prints JSON {sentences_per_second, ...}

The recipe's MultiTask model is wrapped as a PreTrainedModel whose logits are the sentiment
head, so the pipeline runs the whole encoder once per sentence, as rhetor does.
"""
from __future__ import annotations

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see models/train/export.py

import argparse
import csv
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "models" / "train"))

import torch  # noqa: E402
from transformers import BertConfig, PreTrainedModel, pipeline  # noqa: E402
from transformers.modeling_outputs import SequenceClassifierOutput  # noqa: E402

from common import CKPT, MAX_LENGTH, MultiTask, load_base  # noqa: E402
from data import LABELS  # noqa: E402


class SentimentView(PreTrainedModel):
    """The multi-task model seen by the pipeline as a sentiment classifier."""

    config_class = BertConfig

    def __init__(self, config, multitask):
        super().__init__(config)
        self.multitask = multitask

    def forward(self, input_ids=None, attention_mask=None, token_type_ids=None, **_):
        logits = self.multitask(input_ids, attention_mask, heads=["sentiment"])["sentiment"]
        return SequenceClassifierOutput(logits=logits)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("csv")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--ckpt", type=Path, default=CKPT / "model.pt",
                    help="the checkpoint the shipped ONNX model was exported from")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    texts = [r["text"] for r in csv.DictReader(open(args.csv, encoding="utf-8"))]
    tok, enc, _ = load_base()
    mt = MultiTask(enc)
    mt.load_state_dict(torch.load(args.ckpt, map_location="cpu"))
    mt.eval()
    labels = LABELS["sentiment"]
    config = BertConfig(id2label=dict(enumerate(labels)), label2id={l: i for i, l in enumerate(labels)})
    model = SentimentView(config, mt).eval()
    clf = pipeline("text-classification", model=model, tokenizer=tok, device=-1,
                   truncation=True, max_length=MAX_LENGTH)
    with torch.inference_mode():
        clf(texts[:32], batch_size=args.batch_size)  # warm-up
        t0 = time.perf_counter()
        out = clf(texts, batch_size=args.batch_size)
        secs = time.perf_counter() - t0
    print(json.dumps({"n": len(texts), "seconds": round(secs, 3), "batch_size": args.batch_size,
                      "threads": args.threads, "sentences_per_second": round(len(texts) / secs, 1),
                      "first_labels": [o["label"] for o in out[:5]]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
