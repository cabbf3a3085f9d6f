"""Benchmark: training throughput of the engine's input pipeline (ImageBatches, a keras.utils.PyDataset with
an augmentation policy and class weights) against a bare `model.fit` on in-memory arrays, same model and batch size.
Target: ratio >= 0.95 (the pipeline must not be the bottleneck).

Usage: python benchmarks/bench_train.py [--images 1024] [--batch-size 64] [--epochs 2] [--augment traditional] [--unfreeze 1.0]
                                        [--backbone efficientnet_lite0] [--size 96] [--device-shifts auto|on|off]
EfficientNet-Lite0 at 96 px by default; e.g. `--backbone efficientnet_lite1 --size 240 --augment stain_optics` is the
gpu profile's fine-tuning, where a bare fit shows what the accelerator alone could do.
`--device-shifts on` runs the policy's stain/optics/exposure stages as `wbc_nb.device_shifts` layers in the training step
(auto, the engine's default: on when the backend has an accelerator). The first epoch of each (graph tracing) is not timed. `--json PATH` also writes the figures.
"""
import argparse, json, os, time

import numpy as np

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--images", type=int, default=1024)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--augment", default="traditional", help="wbc_nb.augment policy of the engine's batches")
    ap.add_argument("--unfreeze", type=float, default=1.0, help="share of backbone layers trained")
    ap.add_argument("--backbone", default="efficientnet_lite0", help="registry backbone")
    ap.add_argument("--size", type=int, default=96, help="image side in pixels")
    ap.add_argument("--device-shifts", default="auto", choices=["auto", "on", "off"],
                    help="policy shifts in the training step on the device (auto: when there is an accelerator)")
    ap.add_argument("--json", help="also write the figures to this file")
    a = ap.parse_args()
    import keras
    from wbc_nb.backbones import set_trainable
    from wbc_nb.train import ImageBatches, build_classifier, has_accelerator, one_hot, with_device_shifts
    on_device = has_accelerator() if a.device_shifts == "auto" else a.device_shifts == "on"
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, (a.images, a.size, a.size, 3), dtype=np.uint8)
    y = np.arange(a.images) % 8
    weights = {c: 1.0 + c / 8 for c in range(8)}
    rates = {}
    for name in ("bare fit on arrays", "engine (ImageBatches)"):
        keras.utils.set_random_seed(0)
        model = build_classifier(a.backbone, "imagenet", a.size)
        set_trainable(model, a.unfreeze, stop_at="top_activation")
        if on_device and not name.startswith("bare"): model = with_device_shifts(model, a.augment)
        model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="categorical_crossentropy")
        if name.startswith("bare"):
            onehot = one_hot(y)
            sw = np.array([weights[int(l)] for l in y], "float32")
            fit = lambda e: model.fit(x, onehot, sample_weight=sw, batch_size=a.batch_size, epochs=e, verbose=0, shuffle=True)
        else:
            data = ImageBatches(x, y, a.batch_size, shuffle=True, augment=a.augment, class_weight=weights, seed=0,
                                device_shifts=on_device)
            fit = lambda e: model.fit(data, epochs=e, verbose=0)
        fit(1)  # tracing
        t = time.perf_counter(); fit(a.epochs); rates[name] = a.images * a.epochs / (time.perf_counter() - t)
        print(f"{name:24s} {rates[name]:6.1f} images/s", flush=True)
        keras.backend.clear_session()
    print(f"engine: policy {a.augment!r} (shifts {'in the training step, on the device' if on_device else 'in numpy'}), {a.backbone} at {a.size} px, {a.unfreeze:.0%} of the backbone trained, batch {a.batch_size}")
    ratio = rates["engine (ImageBatches)"] / rates["bare fit on arrays"]
    print(f"ratio engine / bare: {ratio:.3f} (target >= 0.95)")
    if a.json:
        from wbc_nb.core import write_json
        write_json(a.json, {"backbone": a.backbone, "size": a.size, "augment": a.augment, "batch_size": a.batch_size,
                            "images": a.images, "epochs": a.epochs, "unfreeze": a.unfreeze, "device_shifts": on_device, "keras_backend": keras.backend.backend(),
                            "images_per_s": rates, "ratio": ratio})
