"""Samplers: block Gibbs, parallel tempering, annealed importance sampling."""

from .gibbs import ChainState, gibbs, sample_hidden, sample_visible

__all__ = ["ChainState", "gibbs", "sample_hidden", "sample_visible"]
