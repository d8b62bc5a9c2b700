"""The print channel: the brochure laid out by WeasyPrint, as the print shop's PDF/X in CMYK and
as the tagged screen PDF, each preflighted."""
