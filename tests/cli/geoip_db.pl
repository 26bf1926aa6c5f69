#!/usr/bin/perl
# geoip_db.pl OUT_DIR: writes small MaxMind DB files for the geoip suite,
# two laid out as MaxMind's GeoLite2 City and ASN databases are and one as
# ip-location-db's city files (flat keys), with the documentation ranges
# (RFC 5737, RFC 3849, RFC 9637) as places:
#   192.0.2.0/24      DE, Berlin                      (GeoLite2-City)
#   198.51.100.0/24   US; AS15169 "GOOGLE"            (GeoLite2-City, -ASN)
#   2001:db8::/32     FR, Paris; AS64500 "Example Net" (GeoLite2-City, -ASN)
#   3fff::/20         JP, Tokyo                       (ip-location-db city)
#   203.0.113.0/24    nowhere (not in the files)
# Exits 3 when the writer module is not installed.
use strict;
use warnings;

# exit 3: the writer (Debian's libmaxmind-db-writer-perl) is not installed
eval { require MaxMind::DB::Writer::Tree; 1 } or exit 3;

my $dir = shift or die "usage: geoip_db.pl OUT_DIR\n";

sub tree {
    my ($type, $types) = @_;
    return MaxMind::DB::Writer::Tree->new(
        ip_version => 6, record_size => 24, database_type => $type,
        remove_reserved_networks => 0, # the documentation ranges are the test places
        languages => ['en'], description => { en => "wiretop test $type" },
        map_key_type_callback => sub { $types->{ $_[0] } },
    );
}

my $city = tree('GeoLite2-City', {
    country => 'map', city => 'map', names => 'map', iso_code => 'utf8_string', en => 'utf8_string',
});
$city->insert_network('192.0.2.0/24', {
    country => { iso_code => 'DE' }, city => { names => { en => 'Berlin' } } });
$city->insert_network('198.51.100.0/24', { country => { iso_code => 'US' } });
$city->insert_network('2001:db8::/32', {
    country => { iso_code => 'FR' }, city => { names => { en => 'Paris' } } });

my $asn = tree('GeoLite2-ASN', {
    autonomous_system_number => 'uint32', autonomous_system_organization => 'utf8_string',
});
$asn->insert_network('198.51.100.0/24', {
    autonomous_system_number => 15169, autonomous_system_organization => 'GOOGLE' });
$asn->insert_network('2001:db8::/32', {
    autonomous_system_number => 64500, autonomous_system_organization => 'Example Net' });

my $flat = tree('ip-location-db city', { country_code => 'utf8_string', city => 'utf8_string' });
$flat->insert_network('3fff::/20', { country_code => 'JP', city => 'Tokyo' });

for ([ $city, 'GeoLite2-City.mmdb' ], [ $asn, 'GeoLite2-ASN.mmdb' ], [ $flat, 'iplocationdb-city.mmdb' ]) {
    open my $fh, '>:raw', "$dir/$_->[1]" or die "$dir/$_->[1]: $!\n";
    $_->[0]->write_tree($fh);
    close $fh or die "$dir/$_->[1]: $!\n";
}
