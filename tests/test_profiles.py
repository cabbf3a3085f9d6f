"""Every profile is valid for every chapter, and the GPU-sized `full` profile at least starts here:
its final-model configuration (EfficientNetV2M) runs its first training steps with weights=None."""
import json

import pytest

from wbc_nb.report import chapters, load_profile, resolve_parameters, run_report

from conftest import SAMPLE


@pytest.mark.parametrize("profile", ["smoke", "cpu", "full"])
def test_profiles_resolve_for_every_chapter(profile):
    resolved = resolve_parameters(chapters(), load_profile(profile), {})
    assert set(resolved) == set(chapters())


def test_full_profile_final_model_starts_with_weights_none(tmp_path):
    out = tmp_path / "full"
    rec = run_report("full", data=str(SAMPLE), out=out, only=["10_final_model"], progress=False,
                     params={"weights": "none", "max_per_class": 8, "test_per_class": 1, "head_epochs": 1,
                             "finetune_epochs": 1, "batch_size": 8})
    entry = rec["notebooks"]["10_final_model"]
    assert entry["status"] == "ok"
    assert entry["parameters"]["backbone"] == "efficientnet_v2m" and entry["parameters"]["unfreeze_fraction"] == 0.3
    card = json.loads((out / "artifacts" / "model_card.json").read_text())
    assert card["backbone"] == "efficientnet_v2m" and card["weights"] == "none"
    assert (out / "artifacts" / "final_model.keras").exists()
