"""Models and helpers of Hubcap's demo hub repository (see ../hubconf.py)."""
