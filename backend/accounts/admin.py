from django.contrib import admin

from .models import Discovery


@admin.register(Discovery)
class DiscoveryAdmin(admin.ModelAdmin):
    list_display = ["user", "gene", "discovered_at", "starter"]
    list_filter = ["starter"]
    search_fields = ["user__username", "gene__symbol"]
    raw_id_fields = ["user", "gene"]
