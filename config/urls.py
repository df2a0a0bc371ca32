from django.urls import include, path

urlpatterns = [
    path("", include("maca.core.urls")),
    path("", include("maca.accounts.urls")),
    path("audits/", include("maca.audits.urls")),
    path("", include("maca.planning.urls")),
    path("", include("maca.returns.urls")),
    path("audits/", include("maca.learning.urls")),
    path("audits/", include("maca.moderation.urls")),
    path("actions/", include("maca.learning.tracker_urls")),
    path("audits/", include("maca.reports.urls")),
    path("brief-templates/", include("maca.reports.template_urls")),
    path("sampling/", include("maca.sampling.urls")),
    path("", include("maca.api.urls")),
    path("", include("maca.exchange.urls")),
    path("", include("maca.identifiers.urls")),
    path("", include("maca.manage.urls")),
]
