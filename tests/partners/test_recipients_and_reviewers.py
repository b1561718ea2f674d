"""partners offers who hears about a partner's requests and who may decide them; dealreg and funding use both."""

import pytest
from django.core.exceptions import PermissionDenied

from partners import access, selectors
from partners.models import PartnerRole, StaffRole
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_recipient_selectors_leave_out_inactive_users(partner, partner_admin, partner_member, pam, program_admin):
    gone_admin = UserFactory(partner=partner, partner_role=PartnerRole.ADMIN, is_active=False)
    gone_member = UserFactory(partner=partner, partner_role=PartnerRole.MEMBER, is_active=False)
    UserFactory(staff_role=StaffRole.PROGRAM_ADMIN, is_active=False)
    assert selectors.partner_admins(partner) == [partner_admin]
    assert selectors.partner_admins(partner, also=partner_member) == [partner_admin, partner_member]
    assert selectors.partner_admins(partner, also=gone_member) == [partner_admin]
    assert selectors.partner_admins(partner, also=partner_admin) == [partner_admin]
    assert list(selectors.partner_users(partner)) == [partner_admin, partner_member]
    assert gone_admin not in selectors.partners_users([partner.pk])
    assert selectors.vendor_contacts(partner) == [pam]
    pam.is_active = False
    pam.save()
    partner.refresh_from_db()
    assert selectors.vendor_contacts(partner) == [program_admin]


def test_a_user_who_moved_to_another_partner_is_not_told_of_the_old_ones(partner, partner_admin, other_partner):
    mover = UserFactory(partner=other_partner, partner_role=PartnerRole.MEMBER)
    assert selectors.partner_admins(partner, also=mover) == [partner_admin]


def test_require_reviewer(partner, pam, other_pam, psa, program_admin, partner_admin, other_partner):
    access.require_reviewer(pam, partner)
    access.require_reviewer(program_admin, partner)
    access.require_reviewer(other_pam, other_partner)
    for user in (other_pam, psa, partner_admin):
        with pytest.raises(PermissionDenied):
            access.require_reviewer(user, partner)
    other_partner.pam = None
    other_partner.save()
    access.require_reviewer(pam, other_partner)  # any PAM decides for a partner without one
    # The database refuses such a user (a check constraint); the rule does not rely on it.
    staff_of_the_partner = UserFactory.build(staff_role=StaffRole.PROGRAM_ADMIN, partner=partner)
    with pytest.raises(PermissionDenied, match="own company"):
        access.require_reviewer(staff_of_the_partner, partner)
