from django.contrib import admin

from .models import GenerationRequest, ProviderKey


@admin.register(GenerationRequest)
class GenerationRequestAdmin(admin.ModelAdmin):
    list_display = ["id", "gene", "emulsion", "user", "status", "attempts", "claimed_by", "created_at", "finished_at"]
    list_filter = ["status"]
    search_fields = ["gene__symbol", "user__username"]
    raw_id_fields = ["gene", "portrait", "user"]
    readonly_fields = ["created_at"]
    actions = ["requeue"]

    @admin.action(description="Queue again (attempts reset)")
    def requeue(self, request, queryset):
        queryset.update(
            status=GenerationRequest.QUEUED, attempts=0, claimed_by="", claimed_at=None, finished_at=None, error=""
        )


@admin.register(ProviderKey)
class ProviderKeyAdmin(admin.ModelAdmin):
    """Shows who stored a key and its fingerprint; the encrypted key is never shown or edited here."""

    list_display = ["user", "provider", "model", "fingerprint", "updated_at"]
    fields = ["user", "provider", "model", "fingerprint", "updated_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False
