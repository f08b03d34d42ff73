"""Writes PyTorch reference trajectories for the optimizer tests.

Run with Debian's python3-torch: /usr/bin/python3 make_optimizer_fixtures.py
Each fixture: initial parameters, a fixed sequence of gradients, the optimizer's settings, and the
parameters after every step (float64), plus clip_grad_norm_ results.
"""
import json
import os

import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "fixtures", "optim")
torch.manual_seed(7)
p0 = torch.randn(2, 3, dtype=torch.float64)
q0 = torch.randn(4, dtype=torch.float64)
grads = [(torch.randn(2, 3, dtype=torch.float64), torch.randn(4, dtype=torch.float64)) for _ in range(5)]

cases = {
    "sgd": (torch.optim.SGD, dict(lr=0.1)),
    "sgd_momentum": (torch.optim.SGD, dict(lr=0.1, momentum=0.9)),
    "sgd_momentum_wd": (torch.optim.SGD, dict(lr=0.1, momentum=0.9, weight_decay=0.01)),
    "adam": (torch.optim.Adam, dict(lr=0.01, betas=(0.9, 0.999), eps=1e-8)),
    "adam_wd": (torch.optim.Adam, dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)),
    "adamw": (torch.optim.AdamW, dict(lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)),
}
fixtures = {}
for name, (cls, kw) in cases.items():
    p = p0.clone().requires_grad_(True)
    q = q0.clone().requires_grad_(True)
    opt = cls([p, q], **kw)
    steps = []
    for gp, gq in grads:
        p.grad = gp.clone()
        q.grad = gq.clone()
        opt.step()
        steps.append({"p": p.detach().flatten().tolist(), "q": q.detach().flatten().tolist()})
    settings = dict(kw)
    if "betas" in settings:
        settings["beta1"], settings["beta2"] = settings.pop("betas")
    fixtures[name] = {"settings": settings, "steps": steps}

clip = {}
for max_norm in (0.5, 100.0):
    gp, gq = grads[0][0].clone(), grads[0][1].clone()
    p = torch.zeros(2, 3, dtype=torch.float64, requires_grad=True)
    q = torch.zeros(4, dtype=torch.float64, requires_grad=True)
    p.grad, q.grad = gp, gq
    norm = torch.nn.utils.clip_grad_norm_([p, q], max_norm)
    clip[str(max_norm)] = {"norm": float(norm), "p": p.grad.flatten().tolist(), "q": q.grad.flatten().tolist()}

data = {
    "torch": torch.__version__,
    "p0": p0.flatten().tolist(), "q0": q0.flatten().tolist(),
    "grads": [{"p": gp.flatten().tolist(), "q": gq.flatten().tolist()} for gp, gq in grads],
    "optimizers": fixtures,
    "clip_grad_norm": clip,
}
with open(os.path.join(OUT, "optimizers.json"), "w") as f:
    json.dump(data, f, indent=1)
