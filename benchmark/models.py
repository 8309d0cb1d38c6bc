"""The published benchmark, stored per quarter: these tables are the cache
the pages and exports read, so a page never computes. Nothing here names a
resident or rests on fewer than ten of them (``benchmark/disclosure.py``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BenchmarkPeriod(models.Model):
    """One computed quarter. A quarter that had ended when it was computed
    is final: it is published once, with group figures, and never computed
    again (two publications of one quarter could be compared). The running
    quarter is computed again and again, for each organisation's own view
    only, without group figures."""

    quarter = models.CharField(max_length=6, unique=True)  # "2026Q3"
    starts_on = models.DateField()
    ends_on = models.DateField()  # the first day after the quarter
    is_final = models.BooleanField(default=False)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.quarter


class BenchmarkParticipant(models.Model):
    """An organisation in a period, with the letter that stands for it
    when it is not named ("Organisatie B"); letters are shuffled per
    period, so they cannot be followed from one quarter to the next."""

    period = models.ForeignKey(BenchmarkPeriod, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    letter = models.CharField(max_length=3)

    class Meta:
        ordering = ["letter"]
        constraints = [
            models.UniqueConstraint(fields=["period", "organisation"], name="benchmark_participant_once"),
            models.UniqueConstraint(fields=["period", "letter"], name="benchmark_letter_once"),
        ]

    def __str__(self) -> str:
        return self.letter


class BenchmarkCell(models.Model):
    """One organisation's published figure, or why it is not published."""

    class Suppression(models.TextChoices):
        NONE = "", _("gepubliceerd")
        SMALL = "small", _("minder dan 10 inwoners")
        SECONDARY = "secondary", _("afgeschermd, anders terug te rekenen")

    period = models.ForeignKey(BenchmarkPeriod, on_delete=models.CASCADE, related_name="cells")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    metric = models.CharField(max_length=40)
    dimension = models.CharField(max_length=40, blank=True)
    value = models.FloatField(null=True, blank=True)
    suppression = models.CharField(max_length=10, choices=Suppression.choices, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "organisation", "metric", "dimension"], name="benchmark_cell_once"
            ),
        ]
        indexes = [models.Index(fields=["period", "metric", "dimension"])]

    def __str__(self) -> str:
        return f"{self.metric}/{self.dimension}"


class BenchmarkGroupFigure(models.Model):
    """The group's median and quartiles of one figure, over the
    organisations whose cell is published; empty with fewer than three."""

    period = models.ForeignKey(BenchmarkPeriod, on_delete=models.CASCADE, related_name="group_figures")
    metric = models.CharField(max_length=40)
    dimension = models.CharField(max_length=40, blank=True)
    # How the dimension reads (a ZRM domain's name) and where it stands.
    dimension_label = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    organisations = models.PositiveSmallIntegerField(default=0)
    lower_quartile = models.FloatField(null=True, blank=True)
    median = models.FloatField(null=True, blank=True)
    upper_quartile = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["period", "metric", "dimension"], name="benchmark_group_figure_once"),
        ]

    def __str__(self) -> str:
        return f"{self.metric}/{self.dimension}"


class BenchmarkNaming(models.Model):
    """An organisation's choice to be named to the other organisations in
    the benchmark; without it (the default) it is "Organisatie B"."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="benchmark_naming"
    )
    is_named = models.BooleanField(_("onze naam tonen aan de andere organisaties"), default=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"naming of organisation {self.organisation_id}"
