"""SAMEN030 Buurtkaart: Utrecht's wijken and buurten with resident initiatives and coverage gaps."""
