"""Campaign scripts: YAML with positions -> validated, typed model.  All user errors live here."""

from bzmedia.campaign.loader import load_campaign
from bzmedia.campaign.model import Campaign, Locality
from bzmedia.campaign.variables import for_locality
from bzmedia.errors import BuildError, CampaignError, Problem

__all__ = ["BuildError", "Campaign", "CampaignError", "Locality", "Problem", "for_locality",
           "load_campaign"]
