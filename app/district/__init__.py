"""The district (区/县) side: the office level and the consolidation of township packages."""
