"""Synthetic data: the demo clinic network (`kapclinic demo`) and the benchmark network at
scale (`kapclinic bench generate`). It seeds every app, so it sits at the top, beside web/."""
