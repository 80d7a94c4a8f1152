from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView

# Django's 400 page, but an over-limit body is 413 and /api/ answers JSON (DEBUG off; the
# middleware in backend/common turns the API's other non-JSON errors into JSON).
handler400 = "backend.common.errors.bad_request"

urlpatterns = [
    path("", include("backend.pages.urls")),
    path("", include("backend.moderation.urls")),
    path("casts/", include("backend.casts.urls")),
    path("review/", include("backend.learning.urls")),
    path("decks/", include("backend.learning.deck_urls")),
    path("accounts/", include("backend.accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/", include("backend.genes.api_urls")),
    path("api/", include("backend.portraits.api_urls")),
    path("api/", include("backend.studio.api_urls")),
    path("api/", include("backend.accounts.api_urls")),
    path("api/", include("backend.moderation.api_urls")),
    path("api/", include("backend.casts.api_urls")),
    path("api/", include("backend.learning.api_urls")),
]


def local_media(request, path: str):
    # MEDIA_ROOT is read per request, not when this module is imported, so a changed setting is honoured.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


if settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage"):
    # Local media for the embedded default; with S3 the bucket serves them.
    urlpatterns.append(path("media/<path:path>", local_media))
