"""Live-chart spec of the bits-on-the-wire lesson, checked through its data (values equal ce_core's)."""

import numpy as np

from ce_core.coding import code_lengths, running_bits_per_symbol
from ce_core.information import cross_entropy, entropy
from ce_core.live import message_sweep, parameter_grid
from ce_core.prefix_code import expected_length
from lab.figures import coding as fc
from lab.figures.live import decode_table

P = np.array([0.5, 0.3, 0.2])
Q = np.array([0.25, 0.5, 0.25])


def _layer(spec, name):
    (layer,) = [layer for layer in spec["layers"] if layer["name"] == name]
    return layer


def test_message_chart_draws_the_running_cost_and_the_references():
    lengths = parameter_grid(10, 100, 10)
    sweep = message_sweep(P, Q, lengths, seed=3)
    h_pq, h_p = cross_entropy(P, Q, base=2), entropy(P, base=2)
    spec, readouts = fc.message_chart(
        sweep,
        3,
        h_pq=h_pq,
        h_p=h_p,
        whole_mean=expected_length(P, code_lengths(Q, whole_bits=True)),
        max_length=100,
    )
    running = running_bits_per_symbol(sweep["message"], code_lengths(Q))
    np.testing.assert_allclose(decode_table(_layer(spec, fc.IDEAL)["y"]), running)
    np.testing.assert_allclose(decode_table(_layer(spec, "H(p, q)")["y"]), [h_pq, h_pq])
    np.testing.assert_allclose(decode_table(_layer(spec, "H(p)")["y"]), [h_p, h_p])
    np.testing.assert_allclose(decode_table(_layer(spec, "message length")["x"]), lengths)
    texts = {r["name"]: r["text"] for r in readouts}
    assert texts["ideal"] == [f"{v:.4f} bits" for v in running[lengths.astype(int) - 1]]
    assert texts["limit"] == [f"{h_pq:.4f} bits"] * lengths.size
    assert "random seed 3" in spec["caption"][0]


def test_message_chart_leaves_out_an_infinite_reference_and_stops_the_line():
    q = np.array([0.5, 0.5, 0.0])
    sweep = message_sweep(P, q, parameter_grid(10, 50, 10), seed=0)
    spec, _ = fc.message_chart(
        sweep,
        0,
        h_pq=cross_entropy(P, q, base=2),
        h_p=entropy(P, base=2),
        whole_mean=float("inf"),
        max_length=50,
    )
    assert "H(p, q)" not in [layer["name"] for layer in spec["layers"]]
    ideal = decode_table(_layer(spec, fc.IDEAL)["y"])
    assert not np.isinf(ideal).any()
    assert np.isnan(ideal).any()  # the line stops at the first symbol with no code word
