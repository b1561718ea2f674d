from django.db import models
from django.db.models import Q

from partners.models import Partner


class CustomerAccount(models.Model):
    """A customer the vendor's sales system already knows (an existing account)."""

    external_id = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    domain = models.CharField(max_length=253, db_index=True)

    def __str__(self):
        return self.name


class Opportunity(models.Model):
    """An opportunity from the vendor's sales system (imported, never invented here)."""

    class Stage(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED_WON = "closed_won", "Closed won"
        CLOSED_LOST = "closed_lost", "Closed lost"

    class ProductLine(models.TextChoices):
        PLATFORM = "platform", "Platform (messaging, voice, video)"
        FLEX = "flex", "Flex"
        SEGMENT = "segment", "Segment"
        SENDGRID = "sendgrid", "SendGrid"
        PROFESSIONAL_SERVICES = "professional_services", "Professional services"

    external_id = models.CharField(max_length=64, unique=True)
    account_name = models.CharField(max_length=200)
    domain = models.CharField(max_length=253, db_index=True)
    product_line = models.CharField(max_length=30, choices=ProductLine.choices)
    arr_usd = models.DecimalField(max_digits=14, decimal_places=2)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.OPEN)
    close_date = models.DateField(null=True, blank=True)
    partners = models.ManyToManyField(Partner, through="OpportunityPartner", related_name="opportunities")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "opportunities"
        constraints = [
            models.CheckConstraint(condition=Q(arr_usd__gte=0), name="opportunity_arr_not_negative"),
            models.CheckConstraint(
                condition=~Q(stage="closed_won") | Q(close_date__isnull=False), name="opportunity_won_has_close_date"
            ),
        ]
        indexes = [models.Index(fields=["stage", "close_date"])]

    def __str__(self):
        return f"{self.account_name} ({self.external_id})"


class OpportunityPartner(models.Model):
    """A partner attached to an opportunity; it counts only if attached on or before the close date."""

    class Source(models.TextChoices):
        SALES_TEAM = "sales_team", "Added by the sales team"
        DEAL_REGISTRATION = "deal_registration", "Approved deal registration"

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="attachments")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="opportunity_attachments")
    attached_on = models.DateField()
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.SALES_TEAM)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "partner"], name="opportunity_partner_unique"),
        ]
        indexes = [models.Index(fields=["partner", "attached_on"])]

    def __str__(self):
        return f"{self.partner} on {self.opportunity}"
