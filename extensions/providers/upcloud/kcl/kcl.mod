[package]
name = "upcloud"
edition = "v0.9.0"
version = "1.5.0"
