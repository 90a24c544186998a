"""Samplers: block Gibbs, parallel tempering, annealed importance sampling (forward and reverse),
overdamped Langevin dynamics; the chain-sampler protocol that learning rules take."""

from .ais import AISResult, ais, ll_bracket, reverse_ais
from .gibbs import ChainState, gibbs, sample_hidden, sample_visible
from .langevin import langevin, ou_discrete_rate, relaxation_rate
from .chains import BlockGibbs, ChainSampler
from .tempering import ParallelTempering, TemperedGibbs, parallel_tempering

__all__ = ["ChainState", "gibbs", "sample_hidden", "sample_visible", "ParallelTempering",
           "parallel_tempering", "AISResult", "ais", "reverse_ais", "ll_bracket", "langevin",
           "relaxation_rate", "ou_discrete_rate", "ChainSampler", "BlockGibbs", "TemperedGibbs"]
